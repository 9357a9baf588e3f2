import { TaskType } from '#app/generated/prisma/enums.ts'
import { binomialTestTwoSided } from '#app/modules/stats/binomial-test.ts'
import { cohenKappaFromTable, type KappaWeights } from '#app/modules/stats/cohen.ts'
import { median } from '#app/modules/stats/descriptive.ts'
import { GrowableInt32 } from '#app/modules/stats/growable-int32.ts'
import { percentAgreementFromUnits } from '#app/modules/stats/percent-agreement.ts'
import { rankingImpliedPairs } from '#app/modules/stats/rankings.ts'
import { choiceOf, pairKey, type AnalyticsItem, type AnalyticsJudgment, type ItemReading } from './analytics-item.ts'
import {
	ANALYTICS_SEED,
	MIN_SHARED_ITEMS,
	QUALITY_THRESHOLDS,
	type AnnotatorFlag,
	type AnnotatorRow,
	type AnnotatorsSnapshot,
	type CohenPair,
	type JudgeConsensusAgreement,
} from './analytics.types.ts'
import { bootstrapFigures } from './bootstrap-figures.ts'
import { consensusFor, type Consensus } from './consensus.ts'

type Kind = 'human' | 'model'

type AnnotatorStats = {
	userId: string
	kind: Kind
	judgments: number
	looSum: number
	looItems: number
	goldSum: number
	goldJudgments: number
	positionTrials: number
	positionHits: number
	positionExpected: number
	lengthTrials: number
	lengthHits: number
	active: GrowableInt32
	/** AI judges: judgments whose two orders disagreed. */
	inconsistent: number
	/** AI judges: per item compared with the human consensus, contingency cells (human × judge), item by item. */
	consensusCells: GrowableInt32 | null
	consensusStarts: GrowableInt32 | null
}

type PairStats = { shared: number; table: Float64Array; signed: Float64Array | null }

const finite = (value: number | null | undefined) =>
	value === null || value === undefined || !Number.isFinite(value) ? null : value

function kappaFromCells(cells: Float64Array, v: number, weights: KappaWeights): number | null {
	const present: number[] = []
	for (let i = 0; i < v; i++) {
		let sum = 0
		for (let j = 0; j < v; j++) sum += (cells[i * v + j] as number) + (cells[j * v + i] as number)
		if (sum > 0) present.push(i)
	}
	if (present.length === 0) return null
	const table = present.map((i) => present.map((j) => cells[i * v + j] as number))
	return finite(cohenKappaFromTable({ table, weights }))
}

/**
 * Everything per annotator: judgments, active time, position and length preferences, gold
 * accuracy, leave-one-out agreement, and a contingency table per pair of annotators for Cohen's
 * kappa (choices or implied pairs; signed preferences too for pairwise projects). Annotators are
 * numbered in the order they first appear, which orients each pair table.
 *
 * AI judges (judgments with source 'model') are measured by the same code, but unless
 * `includeModel` they stay out of the pool (`add` never sees them): `addJudges` gives them their
 * behaviour and gold rows, and their agreement with the human consensus. A judge's position test
 * reads its two calls per item, since its stored judgment is a tie whenever the orders disagreed.
 */
export function createAnnotatorAccumulator({
	taskType,
	randomizeOrder,
	includeModel = false,
	seed = ANALYTICS_SEED,
}: {
	taskType: TaskType
	randomizeOrder: boolean
	includeModel?: boolean
	seed?: number
}) {
	const pairwise = taskType === TaskType.pairwise
	const annotators = new Map<string, AnnotatorStats>()
	const annotatorIndex = new Map<string, number>()
	const pairs = new Map<number, PairStats>()
	let lengthTrials = 0
	let lengthHits = 0

	const inPool = (stats: AnnotatorStats) => stats.kind === 'human' || includeModel

	function statsFor(userId: string, kind: Kind = 'human'): AnnotatorStats {
		let stats = annotators.get(userId)
		if (!stats) {
			stats = {
				userId,
				kind,
				judgments: 0,
				looSum: 0,
				looItems: 0,
				goldSum: 0,
				goldJudgments: 0,
				positionTrials: 0,
				positionHits: 0,
				positionExpected: 0,
				lengthTrials: 0,
				lengthHits: 0,
				active: new GrowableInt32(),
				inconsistent: 0,
				consensusCells: kind === 'model' ? new GrowableInt32() : null,
				consensusStarts: kind === 'model' ? new GrowableInt32() : null,
			}
			annotators.set(userId, stats)
			annotatorIndex.set(userId, annotatorIndex.size)
		}
		return stats
	}

	function lengthPreference(stats: AnnotatorStats, preferred: number | undefined, other: number | undefined) {
		if (preferred === undefined || other === undefined || preferred === other) return
		const pooled = inPool(stats)
		stats.lengthTrials++
		if (pooled) lengthTrials++
		if (preferred > other) {
			stats.lengthHits++
			if (pooled) lengthHits++
		}
	}

	function positionTrial(stats: AnnotatorStats, ranking: string[][], bothBad: boolean, displayOrder: string[]) {
		const strict = ranking.length >= 2 && !bothBad && ranking[0]!.length === 1
		if (!strict || displayOrder.length < 2) return
		stats.positionTrials++
		stats.positionExpected += 1 / displayOrder.length
		if (ranking[0]![0] === displayOrder[0]) stats.positionHits++
	}

	function behaviour(judgment: AnalyticsJudgment, stats: AnnotatorStats, lengths: Map<string, number>) {
		stats.judgments++
		const ranking = judgment.ranking
		if (stats.kind === 'model') {
			// A model's time per judgment says nothing about care; its position test reads both calls.
			if (judgment.positionInconsistent) stats.inconsistent++
			for (const call of judgment.calls ?? []) positionTrial(stats, call.ranking, false, call.displayOrder)
		} else {
			if (judgment.activeMs !== null) stats.active.push(judgment.activeMs)
			positionTrial(stats, ranking, judgment.bothBad, judgment.displayOrder)
		}
		if (judgment.bothBad || ranking.length < 2) return
		if (pairwise && ranking.length === 2 && ranking[0]!.length === 1) {
			lengthPreference(stats, lengths.get(ranking[0]![0]!), lengths.get(ranking[1]![0]!))
			return
		}
		for (const { first, second, value } of rankingImpliedPairs(ranking)) {
			if (value === -1) lengthPreference(stats, lengths.get(first), lengths.get(second))
			else if (value === 1) lengthPreference(stats, lengths.get(second), lengths.get(first))
		}
	}

	function pairStatsFor(a: string, b: string): PairStats {
		const ia = annotatorIndex.get(a) as number
		const ib = annotatorIndex.get(b) as number
		const key = ia < ib ? ia * 1_000_000 + ib : ib * 1_000_000 + ia
		let stats = pairs.get(key)
		if (!stats) {
			stats = { shared: 0, table: new Float64Array(pairwise ? 16 : 9), signed: pairwise ? new Float64Array(49) : null }
			pairs.set(key, stats)
		}
		return stats
	}

	/** Orders two judgments by annotator index, so each pair table has one orientation. */
	function ordered(i: number, j: number, list: AnalyticsJudgment[]): [number, number] {
		return (annotatorIndex.get(list[i]!.userId) as number) < (annotatorIndex.get(list[j]!.userId) as number)
			? [i, j]
			: [j, i]
	}

	function addPairTables(list: AnalyticsJudgment[], reading: ItemReading) {
		const { codes, signed, implied } = reading
		for (let i = 0; i < list.length; i++) {
			for (let j = i + 1; j < list.length; j++) {
				const [x, y] = ordered(i, j, list)
				const stats = pairStatsFor(list[x]!.userId, list[y]!.userId)
				stats.shared++
				if (codes && signed) {
					const cell = ((codes[x] as number) - 1) * 4 + ((codes[y] as number) - 1)
					stats.table[cell] = (stats.table[cell] as number) + 1
					const signedCell = ((signed[x] as number) + 3) * 7 + ((signed[y] as number) + 3)
					stats.signed![signedCell] = (stats.signed![signedCell] as number) + 1
				} else if (implied) {
					for (const [key, vx] of implied[x]!) {
						const vy = implied[y]!.get(key)
						if (vy === undefined) continue
						const cell = (vx + 1) * 3 + (vy + 1)
						stats.table[cell] = (stats.table[cell] as number) + 1
					}
				}
			}
		}
	}

	function addGold(item: AnalyticsItem, judgments: AnalyticsJudgment[], lengths: Map<string, number>) {
		const responseIds = item.responses.map((response) => response.key)
		for (const judgment of judgments) {
			const stats = statsFor(judgment.userId, judgment.source)
			behaviour(judgment, stats, lengths)
			if (!item.gold) continue
			const accuracy = consensusFor({
				responseIds,
				votes: [judgment],
				adjudication: { ranking: item.gold.ranking, bothBad: false, strength: null },
			}).agreement
			if (accuracy === null) continue
			stats.goldSum += accuracy
			stats.goldJudgments++
		}
	}

	/** The reading is null for gold items, which count for gold accuracy and behaviour alone. */
	function add(item: AnalyticsItem, reading: ItemReading | null) {
		if (item.judgments.length === 0) return
		const lengths = new Map(item.responses.map((response) => [response.key, response.length]))
		if (item.isGold) return addGold(item, item.judgments, lengths)
		for (const judgment of item.judgments) behaviour(judgment, statsFor(judgment.userId, judgment.source), lengths)
		if (!reading?.leaveOneOut) return
		addPairTables(item.judgments, reading)
		reading.leaveOneOut.forEach((agreement, i) => {
			if (agreement === null) return
			const stats = statsFor(item.judgments[i]!.userId)
			stats.looSum += agreement
			stats.looItems++
		})
	}

	function consensusCell(consensus: Consensus, judgment: AnalyticsJudgment, responseIds: string[], out: number[]) {
		if (pairwise && responseIds.length === 2) {
			const [first, second] = responseIds as [string, string]
			out.push((choiceOf({ judgment: consensus, first, second }) - 1) * 4 + (choiceOf({ judgment, first, second }) - 1))
			return
		}
		const human = new Map(
			rankingImpliedPairs(consensus.ranking).map((pair) => [pairKey(pair.first, pair.second), pair.value]),
		)
		for (const pair of rankingImpliedPairs(judgment.ranking)) {
			const value = human.get(pairKey(pair.first, pair.second))
			if (value !== undefined) out.push((value + 1) * 3 + (pair.value + 1))
		}
	}

	/**
	 * Called with every item and all its judgments: gives AI judges outside the pool their
	 * behaviour and gold rows, and compares each judge with the human consensus (the
	 * adjudication when there is one) of the non-gold items people judged.
	 */
	function addJudges(item: AnalyticsItem) {
		const judges = item.judgments.filter((judgment) => judgment.source === 'model')
		if (judges.length === 0) return
		const lengths = new Map(item.responses.map((response) => [response.key, response.length]))
		if (!includeModel) {
			if (item.isGold) addGold(item, judges, lengths)
			else for (const judgment of judges) behaviour(judgment, statsFor(judgment.userId, 'model'), lengths)
		}
		if (item.isGold) return
		const votes = item.judgments.filter((judgment) => judgment.source !== 'model')
		if (votes.length === 0 && !item.adjudication) return
		const responseIds = item.responses.map((response) => response.key)
		const consensus = consensusFor({ responseIds, votes, adjudication: item.adjudication })
		for (const judgment of judges) {
			const cells: number[] = []
			consensusCell(consensus, judgment, responseIds, cells)
			if (cells.length === 0) continue
			const stats = statsFor(judgment.userId, 'model')
			stats.consensusStarts!.push(stats.consensusCells!.length)
			for (const cell of cells) stats.consensusCells!.push(cell)
		}
	}

	function humanConsensus(stats: AnnotatorStats): JudgeConsensusAgreement | null {
		if (!stats.consensusStarts || stats.consensusStarts.length === 0) return null
		const v = pairwise ? 4 : 3
		const cells = stats.consensusCells!.view()
		const starts = stats.consensusStarts.view()
		const items = starts.length
		const end = (i: number) => (i + 1 < items ? (starts[i + 1] as number) : cells.length)
		const table = (weights: Float64Array | null) => {
			const out = new Float64Array(v * v)
			for (let i = 0; i < items; i++) {
				const w = weights ? (weights[i] as number) : 1
				if (w === 0) continue
				for (let c = starts[i] as number; c < end(i); c++)
					out[cells[c] as number] = (out[cells[c] as number] as number) + w
			}
			return out
		}
		const diagonalShare = (cellsTable: Float64Array) => {
			let agree = 0
			let total = 0
			for (let i = 0; i < v * v; i++) {
				total += cellsTable[i] as number
				if (Math.floor(i / v) === i % v) agree += cellsTable[i] as number
			}
			return total > 0 ? agree / total : Number.NaN
		}
		// With two raters, percent agreement is the diagonal share of their table (percent-agreement.ts).
		const percent = percentAgreementFromUnits({ units: Array.from(cells, (cell) => [Math.floor(cell / v), cell % v]) })
		const [kappaCi, percentCi] = bootstrapFigures({
			items,
			seed,
			statistics: [
				(weights) => kappaFromCells(table(weights), v, 'none') ?? Number.NaN,
				(weights) => diagonalShare(table(weights)),
			],
		})
		return {
			items,
			units: cells.length,
			percent: finite(percent.agreement),
			percentCiLow: finite(percentCi!.low),
			percentCiHigh: finite(percentCi!.high),
			kappa: kappaFromCells(table(null), v, 'none'),
			kappaCiLow: finite(kappaCi!.low),
			kappaCiHigh: finite(kappaCi!.high),
			bootstrapRounds: kappaCi!.rounds,
		}
	}

	function rows(names: Map<string, string>): { rows: AnnotatorRow[]; projectMedian: number | null } {
		const all = new Int32Array([...annotators.values()].reduce((sum, stats) => sum + stats.active.length, 0))
		let offset = 0
		for (const stats of annotators.values()) {
			all.set(stats.active.view(), offset)
			offset += stats.active.length
		}
		const projectMedian = finite(median(all))
		const t = QUALITY_THRESHOLDS
		const list = [...annotators.values()].map((stats): AnnotatorRow => {
			const medianActive = stats.active.length ? median(stats.active.view()) : null
			const positionRate = stats.positionTrials ? stats.positionHits / stats.positionTrials : null
			const positionExpected = stats.positionTrials ? stats.positionExpected / stats.positionTrials : null
			const positionP = stats.positionTrials
				? binomialTestTwoSided({ successes: stats.positionHits, trials: stats.positionTrials, p: positionExpected! })
				: null
			const pooled = inPool(stats)
			const otherTrials = lengthTrials - (pooled ? stats.lengthTrials : 0)
			const othersRate = otherTrials > 0 ? (lengthHits - (pooled ? stats.lengthHits : 0)) / otherTrials : null
			const lengthRate = stats.lengthTrials ? stats.lengthHits / stats.lengthTrials : null
			const lengthP =
				stats.lengthTrials && othersRate !== null
					? binomialTestTwoSided({ successes: stats.lengthHits, trials: stats.lengthTrials, p: othersRate })
					: null
			const goldAccuracy = stats.goldJudgments ? stats.goldSum / stats.goldJudgments : null
			const flags: AnnotatorFlag[] = []
			if (
				medianActive !== null &&
				stats.active.length >= t.minTimed &&
				(medianActive < t.fastAbsoluteMs || (projectMedian !== null && medianActive < t.fastRelative * projectMedian))
			) {
				flags.push('fast')
			}
			if (
				(randomizeOrder || stats.kind === 'model') &&
				positionP !== null &&
				stats.positionTrials >= t.minBiasTrials &&
				positionP < t.biasPValue &&
				Math.abs(positionRate! - positionExpected!) >= t.biasMinEffect
			) {
				flags.push('position-bias')
			}
			if (
				lengthP !== null &&
				stats.lengthTrials >= t.minBiasTrials &&
				lengthP < t.biasPValue &&
				Math.abs(lengthRate! - othersRate!) >= t.biasMinEffect
			)
				flags.push('length-bias')
			if (goldAccuracy !== null && stats.goldJudgments >= t.minGold && goldAccuracy < t.lowGoldAccuracy)
				flags.push('low-gold-accuracy')
			const judge =
				stats.kind === 'model'
					? {
							positionInconsistency: stats.judgments ? stats.inconsistent / stats.judgments : null,
							humanConsensus: humanConsensus(stats),
						}
					: {}
			return {
				userId: stats.userId,
				displayName: names.get(stats.userId) ?? 'Unknown user',
				kind: stats.kind,
				judgments: stats.judgments,
				looAgreement: stats.looItems ? stats.looSum / stats.looItems : null,
				looItems: stats.looItems,
				goldAccuracy,
				goldJudgments: stats.goldJudgments,
				positionRate,
				positionExpected,
				positionTrials: stats.positionTrials,
				positionP: finite(positionP),
				lengthRate,
				lengthTrials: stats.lengthTrials,
				lengthP: finite(lengthP),
				medianActiveMs: finite(medianActive),
				timedJudgments: stats.active.length,
				flags,
				...judge,
			}
		})
		list.sort((a, b) => b.judgments - a.judgments || a.displayName.localeCompare(b.displayName))
		return { rows: list, projectMedian }
	}

	function cohenPairs(): CohenPair[] {
		const ids = [...annotatorIndex.keys()]
		const out: CohenPair[] = []
		for (const [key, stats] of pairs) {
			if (stats.shared < MIN_SHARED_ITEMS) continue
			out.push({
				a: ids[Math.floor(key / 1_000_000)]!,
				b: ids[key % 1_000_000]!,
				sharedItems: stats.shared,
				kappa: kappaFromCells(stats.table, pairwise ? 4 : 3, 'none'),
				kappaLinear: stats.signed ? kappaFromCells(stats.signed, 7, 'linear') : null,
				kappaQuadratic: stats.signed ? kappaFromCells(stats.signed, 7, 'quadratic') : null,
			})
		}
		return out
	}

	return {
		add,
		addJudges,
		/** Everyone who judged an item so far (AI judges too), in order of appearance. */
		ids: () => [...annotators.keys()],
		/** Annotators in the pool: people, and AI judges only when the project counts them. */
		get size() {
			let size = 0
			for (const stats of annotators.values()) if (inPool(stats)) size++
			return size
		},
		finish({ names }: { names: Map<string, string> }): AnnotatorsSnapshot {
			const { rows: annotatorRows, projectMedian } = rows(names)
			return {
				annotators: annotatorRows,
				pairs: cohenPairs(),
				projectMedianActiveMs: projectMedian,
				projectLengthRate: lengthTrials ? lengthHits / lengthTrials : null,
				randomizedOrder: randomizeOrder,
				thresholds: { ...QUALITY_THRESHOLDS, minSharedItems: MIN_SHARED_ITEMS },
			}
		},
	}
}
