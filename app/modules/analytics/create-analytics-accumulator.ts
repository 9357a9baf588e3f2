import { binomialTestTwoSided } from '#app/modules/stats/binomial-test.ts'
import { arenaLeaderboard, winRateMatrix, type Battle, type BattleWinner } from '#app/modules/stats/bradley-terry.ts'
import { cohenKappaFromTable, type KappaWeights } from '#app/modules/stats/cohen.ts'
import { median } from '#app/modules/stats/descriptive.ts'
import { kendallWFromRankings, rankingImpliedPairs } from '#app/modules/stats/rankings.ts'
import { createAgreementClusters, type AgreementClusters } from './agreement-clusters.ts'
import {
	ANALYTICS_SEED,
	LEADERBOARD_BOOTSTRAP_ROUNDS,
	MIN_SHARED_ITEMS,
	QUALITY_THRESHOLDS,
	QUEUE_ADJUDICATED_LIMIT,
	QUEUE_OPEN_LIMIT,
	type AgreementFigure,
	type AgreementSnapshot,
	type AnnotatorFlag,
	type AnnotatorRow,
	type AnnotatorsSnapshot,
	type CohenPair,
	type LeaderboardSnapshot,
	type ModelPairRecord,
	type ReviewQueueEntry,
	type ReviewQueueSnapshot,
} from './analytics.types.ts'
import { bootstrapFigures } from './bootstrap-figures.ts'
import { consensusFor, signedPreference, type Vote } from './consensus.ts'
import { createFleissClusters } from './fleiss-clusters.ts'
import { pairwiseVoteSummary } from './pairwise-vote-summary.ts'
import { reviewQueueEntry } from './review-queue-entry.ts'
import { sortReviewQueue } from './sort-review-queue.ts'
import { GrowableInt32 } from '#app/modules/stats/growable-int32.ts'

export type AnalyticsJudgment = {
	userId: string
	ranking: string[][]
	bothBad: boolean
	strength: number | null
	criteria: Record<string, Record<string, number>> | null
	activeMs: number | null
	displayOrder: string[]
}

export type AnalyticsItem = {
	itemId: string
	externalId: string
	seq: number
	isGold: boolean
	gold: { ranking: string[][] } | null
	/** In stored order: the first is the reference of the signed preference. */
	responses: { key: string; model: string | null; length: number }[]
	judgments: AnalyticsJudgment[]
	adjudication: { ranking: string[][]; bothBad: boolean; strength: number | null; createdAt: string } | null
}

export type AnalyticsProject = {
	taskType: 'pairwise' | 'ranking'
	criteria: { name: string; min: number; max: number }[]
	randomizeOrder: boolean
}

/** Choice codes for nominal agreement on pairwise items. */
export const CHOICE = { first: 1, second: 2, tie: 3, bothBad: 4 } as const
const CHOICES = [1, 2, 3, 4]
const PAIR_VALUES = [-1, 0, 1]

export function choiceOf({ judgment, first, second }: { judgment: Pick<Vote, 'ranking' | 'bothBad'>; first: string; second: string }) {
	if (judgment.bothBad) return CHOICE.bothBad
	const sign = signedPreference({ vote: { ranking: judgment.ranking, bothBad: false, strength: null }, first, second })
	return sign > 0 ? CHOICE.first : sign < 0 ? CHOICE.second : CHOICE.tie
}

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

type QueueCandidate = { item: AnalyticsItem; votes: Vote[]; disagreement: number; adjudicated: boolean; adjudicatedAt: string; seq: number }

const finite = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? null : value)

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

function byDispute(a: QueueCandidate, b: QueueCandidate) {
	if (a.adjudicated) return b.adjudicatedAt.localeCompare(a.adjudicatedAt) || a.seq - b.seq
	return b.disagreement - a.disagreement || b.votes.length - a.votes.length || a.seq - b.seq
}

/**
 * Streams a project's items (with their judgments) into every analytics figure, keeping memory
 * proportional to items and annotators: agreement clusters, per-annotator counters, annotator
 * pair tables, battles (shared objects per distinct outcome) and a bounded review queue whose
 * entries are built at the end, for the items that made it.
 */
export function createAnalyticsAccumulator({ project, seed = ANALYTICS_SEED }: { project: AnalyticsProject; seed?: number }) {
	const pairwise = project.taskType === 'pairwise'
	const annotators = new Map<string, AnnotatorStats>()
	const annotatorIndex = new Map<string, number>()
	const pairs = new Map<number, PairStats>()
	const choice = createAgreementClusters()
	const signed = createAgreementClusters()
	const impliedPairs = createAgreementClusters()
	const fleiss = createFleissClusters({ categories: pairwise ? CHOICES : PAIR_VALUES })
	const criteria = new Map<string, AgreementClusters>(project.criteria.map((criterion) => [criterion.name, createAgreementClusters()]))
	const kendallItems: number[] = []
	const kendallValues: number[] = []
	const battles: Battle[] = []
	const battleObjects = new Map<string, Battle>()
	const modelPairs = new Map<string, ModelPairRecord>()
	let skippedJudgments = 0
	let judgments = 0
	let goldJudgments = 0
	let items = 0
	/** Items with two or more judgments, indexed for the item-level bootstrap. */
	let agreementItems = 0
	let lengthTrials = 0
	let lengthHits = 0
	let open: QueueCandidate[] = []
	let adjudicated: QueueCandidate[] = []
	let openCount = 0
	let adjudicatedCount = 0

	function statsFor(userId: string): AnnotatorStats {
		let stats = annotators.get(userId)
		if (!stats) {
			stats = { userId, judgments: 0, looSum: 0, looItems: 0, goldSum: 0, goldJudgments: 0, positionTrials: 0, positionHits: 0, positionExpected: 0, lengthTrials: 0, lengthHits: 0, active: new GrowableInt32() }
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

	function battle(modelA: string, modelB: string, winner: BattleWinner) {
		const key = `${modelA}\u0000${modelB}\u0000${winner}`
		let object = battleObjects.get(key)
		if (!object) {
			object = { model_a: modelA, model_b: modelB, winner }
			battleObjects.set(key, object)
			const [x, y] = modelA < modelB ? [modelA, modelB] : [modelB, modelA]
			if (!modelPairs.has(`${x}\u0000${y}`)) modelPairs.set(`${x}\u0000${y}`, { modelA: x, modelB: y, aWins: 0, bWins: 0, ties: 0, bothBad: 0, battles: 0 })
		}
		battles.push(object)
	}

	function battlesFrom(item: AnalyticsItem, judgment: AnalyticsJudgment, choiceCode: number | null) {
		let given = 0
		if (pairwise) {
			const modelA = item.responses[0]?.model
			const modelB = item.responses[1]?.model
			if (modelA && modelB && modelA !== modelB && choiceCode !== null) {
				battle(modelA, modelB, choiceCode === CHOICE.first ? 'model_a' : choiceCode === CHOICE.second ? 'model_b' : choiceCode === CHOICE.bothBad ? 'tie (bothbad)' : 'tie')
				given++
			}
		} else {
			const models = new Map(item.responses.map((response) => [response.key, response.model]))
			for (const { first, second, value } of rankingImpliedPairs(judgment.ranking)) {
				const modelA = models.get(first)
				const modelB = models.get(second)
				if (!modelA || !modelB || modelA === modelB) continue
				battle(modelA, modelB, value === -1 ? 'model_a' : value === 1 ? 'model_b' : 'tie')
				given++
			}
		}
		if (given === 0) skippedJudgments++
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
		return (annotatorIndex.get(list[i]!.userId) as number) < (annotatorIndex.get(list[j]!.userId) as number) ? [i, j] : [j, i]
	}

	function pairwiseItem(item: AnalyticsItem, index: number, codes: number[]) {
		const [first, second] = item.responses.map((response) => response.key) as [string, string]
		const list = item.judgments
		const values = list.map((judgment) => signedPreference({ vote: judgment, first, second }))
		choice.add([codes], index)
		signed.add([values], index)
		fleiss.add([codes], index)
		for (let i = 0; i < list.length; i++) {
			for (let j = i + 1; j < list.length; j++) {
				const [x, y] = ordered(i, j, list)
				const stats = pairStatsFor(list[x]!.userId, list[y]!.userId)
				stats.shared++
				const cell = ((codes[x] as number) - 1) * 4 + ((codes[y] as number) - 1)
				stats.table[cell] = (stats.table[cell] as number) + 1
				const signedCell = ((values[x] as number) + 3) * 7 + ((values[y] as number) + 3)
				stats.signed![signedCell] = (stats.signed![signedCell] as number) + 1
			}
		}
	}

	function rankingItem(item: AnalyticsItem, index: number) {
		const list = item.judgments
		const implied = list.map((judgment) => new Map(rankingImpliedPairs(judgment.ranking).map((pair) => [`${pair.first}\u0000${pair.second}`, pair.value as number])))
		const keys = [...new Set(implied.flatMap((map) => [...map.keys()]))]
		const units = keys.map((key) => implied.map((map) => map.get(key)).filter((value): value is number => value !== undefined))
		impliedPairs.add(units, index)
		fleiss.add(units, index)
		try {
			const w = kendallWFromRankings({ rankings: list.map((judgment) => judgment.ranking) })
			if (Number.isFinite(w)) {
				kendallItems.push(index)
				kendallValues.push(w)
			}
		} catch {
			// Rankings of different response sets have no common W; their pairs still count above.
		}
		for (let i = 0; i < list.length; i++) {
			for (let j = i + 1; j < list.length; j++) {
				const [x, y] = ordered(i, j, list)
				const stats = pairStatsFor(list[x]!.userId, list[y]!.userId)
				stats.shared++
				for (const [key, vx] of implied[x]!) {
					const vy = implied[y]!.get(key)
					if (vy === undefined) continue
					const cell = (vx + 1) * 3 + (vy + 1)
					stats.table[cell] = (stats.table[cell] as number) + 1
				}
			}
		}
	}

	function criteriaUnits(item: AnalyticsItem, index: number) {
		for (const [name, clusters] of criteria) {
			const units = item.responses.map((response) =>
				item.judgments
					.map((judgment) => judgment.criteria?.[response.key]?.[name])
					.filter((value): value is number => typeof value === 'number' && Number.isFinite(value)),
			)
			clusters.add(units, index)
		}
	}

	function credit(userId: string, agreement: number) {
		const stats = statsFor(userId)
		stats.looSum += agreement
		stats.looItems++
	}

	function candidate(item: AnalyticsItem, votes: Vote[], disagreement: number) {
		if (votes.length < 2 || disagreement <= 0) return
		const entry: QueueCandidate = { item, votes, disagreement, adjudicated: !!item.adjudication, adjudicatedAt: item.adjudication?.createdAt ?? '', seq: item.seq }
		if (entry.adjudicated) {
			adjudicatedCount++
			adjudicated.push(entry)
			if (adjudicated.length > 2 * QUEUE_ADJUDICATED_LIMIT) adjudicated = adjudicated.sort(byDispute).slice(0, QUEUE_ADJUDICATED_LIMIT)
		} else {
			openCount++
			open.push(entry)
			if (open.length > 2 * QUEUE_OPEN_LIMIT) open = open.sort(byDispute).slice(0, QUEUE_OPEN_LIMIT)
		}
	}

	function addGoldItem(item: AnalyticsItem, lengths: Map<string, number>) {
		const responseIds = item.responses.map((response) => response.key)
		for (const judgment of item.judgments) {
			const stats = statsFor(judgment.userId)
			goldJudgments++
			behaviour(judgment, stats, lengths)
			if (!item.gold) continue
			const accuracy = consensusFor({ responseIds, votes: [judgment], adjudication: { ranking: item.gold.ranking, bothBad: false, strength: null } }).agreement
			if (accuracy === null) continue
			stats.goldSum += accuracy
			stats.goldJudgments++
		}
	}

	function addItem(item: AnalyticsItem) {
		if (item.judgments.length === 0) return
		const lengths = new Map(item.responses.map((response) => [response.key, response.length]))
		if (item.isGold) return addGoldItem(item, lengths)
		items++
		const [first, second] = item.responses
		const codes = pairwise && first && second ? item.judgments.map((judgment) => choiceOf({ judgment, first: first.key, second: second.key })) : null
		item.judgments.forEach((judgment, i) => {
			judgments++
			behaviour(judgment, statsFor(judgment.userId), lengths)
			battlesFrom(item, judgment, codes?.[i] ?? null)
		})
		const votes: Vote[] = item.judgments.map((judgment) => ({ userId: judgment.userId, ranking: judgment.ranking, bothBad: judgment.bothBad, strength: judgment.strength }))
		if (codes) {
			const summary = pairwiseVoteSummary({ signs: codes.map((code) => (code === CHOICE.first ? 1 : code === CHOICE.second ? -1 : 0)) })
			if (votes.length >= 2) {
				const index = agreementItems++
				pairwiseItem(item, index, codes)
				criteriaUnits(item, index)
				summary.leaveOneOut.forEach((agreement, i) => credit(votes[i]!.userId!, agreement))
			}
			candidate(item, votes, summary.disagreement)
			return
		}
		const responseIds = item.responses.map((response) => response.key)
		if (votes.length >= 2) {
			const index = agreementItems++
			rankingItem(item, index)
			criteriaUnits(item, index)
			votes.forEach((vote, i) => {
				const loo = consensusFor({ responseIds, votes: votes.filter((_, j) => j !== i) })
				const agreement = consensusFor({ responseIds, votes: [vote], adjudication: loo }).agreement
				if (agreement !== null) credit(vote.userId!, agreement)
			})
		}
		candidate(item, votes, votes.length >= 2 ? consensusFor({ responseIds, votes }).disagreement : 0)
	}

	function figureOf(
		base: Pick<AgreementFigure, 'key' | 'label' | 'on' | 'statistic' | 'level'> & { note?: string | null },
		estimate: { value: number; clusters: number; units: number } | null,
		statistic: ((itemWeights: Float64Array) => number) | null,
	) {
		const figure: AgreementFigure = {
			...base,
			note: base.note ?? null,
			value: finite(estimate?.value),
			ciLow: null,
			ciHigh: null,
			items: estimate?.clusters ?? 0,
			units: estimate?.units ?? 0,
			bootstrapRounds: 0,
		}
		return { figure, statistic: figure.value !== null && figure.items > 1 ? statistic : null }
	}

	function agreementFigures(): AgreementFigure[] {
		const entries: ReturnType<typeof figureOf>[] = []
		const fleissEstimate = fleiss.estimate()
		const fleissNote = fleissEstimate ? `On the ${fleissEstimate.clusters} items with exactly ${fleissEstimate.raters} judgments each.` : 'Needs items with the same number of judgments.'
		const fleissFigure = (on: string, key: string, label: string) =>
			figureOf({ key, label, on, statistic: 'fleiss', level: null, note: fleissNote }, fleissEstimate, fleiss.statistic())
		if (pairwise) {
			const on = 'choice (A, B, tie, both bad)'
			const preference = 'signed preference −3..+3'
			entries.push(
				figureOf({ key: 'choice-nominal', label: "Krippendorff's α, choice", on, statistic: 'krippendorff', level: 'nominal' }, choice.alpha({ level: 'nominal' }), choice.alphaStatistic({ level: 'nominal' })),
				figureOf({ key: 'choice-percent', label: 'Percent agreement, choice', on, statistic: 'percent', level: null }, choice.percent(), choice.percentStatistic()),
				fleissFigure(on, 'choice-fleiss', "Fleiss' κ, choice"),
				figureOf(
					{ key: 'preference-ordinal', label: "Krippendorff's α, preference (ordinal)", on: preference, statistic: 'krippendorff', level: 'ordinal' },
					signed.alpha({ level: 'ordinal' }),
					signed.alphaStatistic({ level: 'ordinal' }),
				),
				figureOf(
					{ key: 'preference-interval', label: "Krippendorff's α, preference (interval)", on: preference, statistic: 'krippendorff', level: 'interval' },
					signed.alpha({ level: 'interval' }),
					signed.alphaStatistic({ level: 'interval' }),
				),
			)
		} else {
			const on = 'implied pairs (better, tie, worse)'
			entries.push(
				figureOf({ key: 'pairs-nominal', label: "Krippendorff's α, implied pairs", on, statistic: 'krippendorff', level: 'nominal' }, impliedPairs.alpha({ level: 'nominal' }), impliedPairs.alphaStatistic({ level: 'nominal' })),
				figureOf(
					{ key: 'pairs-ordinal', label: "Krippendorff's α, implied pairs (ordinal)", on, statistic: 'krippendorff', level: 'ordinal' },
					impliedPairs.alpha({ level: 'ordinal' }),
					impliedPairs.alphaStatistic({ level: 'ordinal' }),
				),
				figureOf({ key: 'pairs-percent', label: 'Percent agreement, implied pairs', on, statistic: 'percent', level: null }, impliedPairs.percent(), impliedPairs.percentStatistic()),
				fleissFigure(on, 'pairs-fleiss', "Fleiss' κ, implied pairs"),
				figureOf(
					{ key: 'kendall-w', label: "Kendall's W", on: 'rankings', statistic: 'kendall-w', level: null, note: "Kendall's W of each item's rankings, averaged over items." },
					kendallValues.length ? { value: kendallValues.reduce((sum, w) => sum + w, 0) / kendallValues.length, clusters: kendallValues.length, units: kendallValues.length } : null,
					(itemWeights) => {
						let sum = 0
						let weight = 0
						for (let i = 0; i < kendallItems.length; i++) {
							const w = itemWeights[kendallItems[i] as number] as number
							sum += w * (kendallValues[i] as number)
							weight += w
						}
						return weight === 0 ? Number.NaN : sum / weight
					},
				),
			)
		}
		for (const criterion of project.criteria) {
			const clusters = criteria.get(criterion.name)!
			const base = {
				key: `criterion:${criterion.name}`,
				label: `Krippendorff's α, ${criterion.name}`,
				on: `criterion "${criterion.name}" (${criterion.min}–${criterion.max}) per response`,
				statistic: 'krippendorff' as const,
				level: 'interval' as const,
			}
			entries.push(clusters.clusters > 0 ? figureOf(base, clusters.alpha({ level: 'interval' }), clusters.alphaStatistic({ level: 'interval' })) : figureOf(base, null, null))
		}
		const withStatistic = entries.filter((entry) => entry.statistic)
		const intervals = bootstrapFigures({ items: agreementItems, statistics: withStatistic.map((entry) => entry.statistic!), seed })
		withStatistic.forEach((entry, i) => {
			const interval = intervals[i]!
			entry.figure.ciLow = finite(interval.low)
			entry.figure.ciHigh = finite(interval.high)
			entry.figure.bootstrapRounds = interval.rounds
		})
		return entries.map((entry) => entry.figure)
	}

	function annotatorRows(names: Map<string, string>): { rows: AnnotatorRow[]; projectMedian: number | null; projectLengthRate: number | null } {
		const all = new Int32Array([...annotators.values()].reduce((sum, stats) => sum + stats.active.length, 0))
		let offset = 0
		for (const stats of annotators.values()) {
			all.set(stats.active.view(), offset)
			offset += stats.active.length
		}
		const projectMedian = finite(median(all))
		const t = QUALITY_THRESHOLDS
		const rows = [...annotators.values()].map((stats): AnnotatorRow => {
			const medianActive = stats.active.length ? median(stats.active.view()) : null
			const positionRate = stats.positionTrials ? stats.positionHits / stats.positionTrials : null
			const positionExpected = stats.positionTrials ? stats.positionExpected / stats.positionTrials : null
			const positionP = stats.positionTrials ? binomialTestTwoSided({ successes: stats.positionHits, trials: stats.positionTrials, p: positionExpected! }) : null
			const otherTrials = lengthTrials - stats.lengthTrials
			const othersRate = otherTrials > 0 ? (lengthHits - stats.lengthHits) / otherTrials : null
			const lengthRate = stats.lengthTrials ? stats.lengthHits / stats.lengthTrials : null
			const lengthP = stats.lengthTrials && othersRate !== null ? binomialTestTwoSided({ successes: stats.lengthHits, trials: stats.lengthTrials, p: othersRate }) : null
			const goldAccuracy = stats.goldJudgments ? stats.goldSum / stats.goldJudgments : null
			const flags: AnnotatorFlag[] = []
			if (medianActive !== null && stats.active.length >= t.minTimed && (medianActive < t.fastAbsoluteMs || (projectMedian !== null && medianActive < t.fastRelative * projectMedian))) {
				flags.push('fast')
			}
			if (
				project.randomizeOrder &&
				positionP !== null &&
				stats.positionTrials >= t.minBiasTrials &&
				positionP < t.biasPValue &&
				Math.abs(positionRate! - positionExpected!) >= t.biasMinEffect
			) {
				flags.push('position-bias')
			}
			if (lengthP !== null && stats.lengthTrials >= t.minBiasTrials && lengthP < t.biasPValue && Math.abs(lengthRate! - othersRate!) >= t.biasMinEffect) flags.push('length-bias')
			if (goldAccuracy !== null && stats.goldJudgments >= t.minGold && goldAccuracy < t.lowGoldAccuracy) flags.push('low-gold-accuracy')
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
		rows.sort((a, b) => b.judgments - a.judgments || a.displayName.localeCompare(b.displayName))
		return { rows, projectMedian, projectLengthRate: lengthTrials ? lengthHits / lengthTrials : null }
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

	function leaderboard(): LeaderboardSnapshot {
		const rows = battles.length ? arenaLeaderboard({ battles, bootstrap: LEADERBOARD_BOOTSTRAP_ROUNDS, seed }) : []
		const outcomes = new Map<Battle, number>()
		for (const object of battles) outcomes.set(object, (outcomes.get(object) ?? 0) + 1)
		for (const [object, count] of outcomes) {
			const [x, y] = object.model_a < object.model_b ? [object.model_a, object.model_b] : [object.model_b, object.model_a]
			const record = modelPairs.get(`${x}\u0000${y}`)!
			record.battles += count
			if (object.winner === 'tie') record.ties += count
			else if (object.winner === 'tie (bothbad)') record.bothBad += count
			else if ((object.winner === 'model_a') === (object.model_a === x)) record.aWins += count
			else record.bWins += count
		}
		return {
			rows: rows.map((row) => ({ model: row.model, rating: row.rating, ciLow: row.ciLow, ciHigh: row.ciHigh, battles: row.battles, rank: row.rank })),
			battles: battles.length,
			pairs: [...modelPairs.values()].sort((p, q) => q.battles - p.battles || p.modelA.localeCompare(q.modelA) || p.modelB.localeCompare(q.modelB)),
			winRates: battles.length ? winRateMatrix({ battles }) : { models: [], matrix: [] },
			bootstrapRounds: LEADERBOARD_BOOTSTRAP_ROUNDS,
			seed,
			skippedJudgments,
		}
	}

	function reviewQueue(now: Date): ReviewQueueSnapshot {
		const entries = [...open.sort(byDispute).slice(0, QUEUE_OPEN_LIMIT), ...adjudicated.sort(byDispute).slice(0, QUEUE_ADJUDICATED_LIMIT)]
			.map(({ item, votes }) => reviewQueueEntry({ item: { ...item, responseIds: item.responses.map((response) => response.key) }, votes }))
			.filter((entry): entry is ReviewQueueEntry => entry !== null)
		return {
			openCount,
			adjudicatedCount,
			items: sortReviewQueue(entries),
			limits: { open: QUEUE_OPEN_LIMIT, adjudicated: QUEUE_ADJUDICATED_LIMIT },
			updatedAt: now.toISOString(),
		}
	}

	return {
		addItem,
		annotatorIds: () => [...annotators.keys()],
		finish({ names, now = new Date() }: { names: Map<string, string>; now?: Date }) {
			const { rows, projectMedian, projectLengthRate } = annotatorRows(names)
			const agreement: AgreementSnapshot = {
				taskType: project.taskType,
				figures: agreementFigures(),
				judgments,
				goldJudgments,
				items,
				annotators: annotators.size,
				seed,
				confidence: 0.95,
			}
			const annotatorsSnapshot: AnnotatorsSnapshot = {
				annotators: rows,
				pairs: cohenPairs(),
				projectMedianActiveMs: projectMedian,
				projectLengthRate,
				randomizedOrder: project.randomizeOrder,
				thresholds: { ...QUALITY_THRESHOLDS, minSharedItems: MIN_SHARED_ITEMS },
			}
			return { agreement, annotators: annotatorsSnapshot, leaderboard: leaderboard(), 'review-queue': reviewQueue(now) }
		},
	}
}
