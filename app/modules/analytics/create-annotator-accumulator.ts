import { TaskType } from '#app/generated/prisma/enums.ts'
import { binomialTestTwoSided } from '#app/modules/stats/binomial-test.ts'
import { cohenKappaFromTable, type KappaWeights } from '#app/modules/stats/cohen.ts'
import { median } from '#app/modules/stats/descriptive.ts'
import { GrowableInt32 } from '#app/modules/stats/growable-int32.ts'
import { rankingImpliedPairs } from '#app/modules/stats/rankings.ts'
import type { AnalyticsItem, AnalyticsJudgment, ItemReading } from './analytics-item.ts'
import {
	MIN_SHARED_ITEMS,
	QUALITY_THRESHOLDS,
	type AnnotatorFlag,
	type AnnotatorRow,
	type AnnotatorsSnapshot,
	type CohenPair,
} from './analytics.types.ts'
import { consensusFor } from './consensus.ts'

type AnnotatorStats = {
	userId: string
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
 */
export function createAnnotatorAccumulator({
	taskType,
	randomizeOrder,
}: {
	taskType: TaskType
	randomizeOrder: boolean
}) {
	const pairwise = taskType === TaskType.pairwise
	const annotators = new Map<string, AnnotatorStats>()
	const annotatorIndex = new Map<string, number>()
	const pairs = new Map<number, PairStats>()
	let lengthTrials = 0
	let lengthHits = 0

	function statsFor(userId: string): AnnotatorStats {
		let stats = annotators.get(userId)
		if (!stats) {
			stats = {
				userId,
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
			}
			annotators.set(userId, stats)
			annotatorIndex.set(userId, annotatorIndex.size)
		}
		return stats
	}

	function lengthPreference(stats: AnnotatorStats, preferred: number | undefined, other: number | undefined) {
		if (preferred === undefined || other === undefined || preferred === other) return
		stats.lengthTrials++
		lengthTrials++
		if (preferred > other) {
			stats.lengthHits++
			lengthHits++
		}
	}

	function behaviour(judgment: AnalyticsJudgment, stats: AnnotatorStats, lengths: Map<string, number>) {
		stats.judgments++
		if (judgment.activeMs !== null) stats.active.push(judgment.activeMs)
		const ranking = judgment.ranking
		const strict = ranking.length >= 2 && !judgment.bothBad && ranking[0]!.length === 1
		if (strict && judgment.displayOrder.length >= 2) {
			stats.positionTrials++
			stats.positionExpected += 1 / judgment.displayOrder.length
			if (ranking[0]![0] === judgment.displayOrder[0]) stats.positionHits++
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

	function addGold(item: AnalyticsItem, lengths: Map<string, number>) {
		const responseIds = item.responses.map((response) => response.key)
		for (const judgment of item.judgments) {
			const stats = statsFor(judgment.userId)
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
		if (item.isGold) return addGold(item, lengths)
		for (const judgment of item.judgments) behaviour(judgment, statsFor(judgment.userId), lengths)
		if (!reading?.leaveOneOut) return
		addPairTables(item.judgments, reading)
		reading.leaveOneOut.forEach((agreement, i) => {
			if (agreement === null) return
			const stats = statsFor(item.judgments[i]!.userId)
			stats.looSum += agreement
			stats.looItems++
		})
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
			const otherTrials = lengthTrials - stats.lengthTrials
			const othersRate = otherTrials > 0 ? (lengthHits - stats.lengthHits) / otherTrials : null
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
				randomizeOrder &&
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
			return {
				userId: stats.userId,
				displayName: names.get(stats.userId) ?? 'Unknown user',
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
		/** Everyone who judged an item so far, in order of appearance. */
		ids: () => [...annotators.keys()],
		get size() {
			return annotators.size
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
