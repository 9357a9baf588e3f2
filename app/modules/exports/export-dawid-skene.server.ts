import type pg from 'pg'
import type { Vote } from '#app/modules/analytics/consensus.ts'
import {
	PAIR_CLASSES,
	pairClass,
	PAIRWISE_CLASSES,
	pairwiseClass,
	tiersOf,
} from '#app/modules/analytics/dawid-skene-classes.ts'
import { rankingWithin, splitComparisonItem } from '#app/modules/analytics/comparison-units.ts'
import { dawidSkeneColumnar } from '#app/modules/stats/dawid-skene.ts'
import { GrowableInt32 } from '#app/modules/stats/growable-int32.ts'

/**
 * Dawid–Skene over a project's judgments for an export, read once before the records stream, in
 * the export's snapshot. The units and classes are the quality page's (dawid-skene-analytics.ts):
 * a pairwise item is one unit with four classes relative to its stored response order; a ranking
 * item gives a unit per pair of responses (better, tie, worse); a comparison item gives a unit per
 * judged pair, with the four pairwise classes (ADR 0024); gold items are units clamped to their
 * gold answer. Excluded annotators' judgments are left out, as from the majority consensus.
 * Everything kept is typed arrays: a million judgments take a few tens of MB.
 */

/** Items per query: each row is one item's compact JSON. */
const ITEMS_PER_QUERY = 2_000

/** [isGold, gold ranking, response keys in stored order, [userId, ranking, bothBad, displayOrder] per judgment]. */
type UnitItem = [
	isGold: boolean,
	gold: string[][] | null,
	keys: string[] | null,
	judgments: [string, string[][], boolean, string[]][] | null,
]

const UNITS_SQL = `
	SELECT i.seq::text, json_build_array(
		i.is_gold, CASE WHEN i.is_gold THEN i.gold->'ranking' END,
		(SELECT json_agg(r.key ORDER BY r.position) FROM responses r WHERE r.item_id = i.id),
		(SELECT json_agg(json_build_array(j.user_id, j.ranking, j.both_bad, j.display_order) ORDER BY j.created_at, j.id) FROM judgments j
			WHERE j.item_id = i.id AND ($4 = 'all' OR j.source::text = $4))
	)::text
	FROM items i WHERE i.project_id = $1 AND i.seq > $2::bigint ORDER BY i.seq LIMIT $3`

/** The judgments an export reads, by `judgments.source`: the `annotators` option in database terms. */
export type JudgmentSources = 'human' | 'model' | 'all'
export const judgmentSources = (annotators: 'human' | 'ai' | 'all'): JudgmentSources =>
	annotators === 'ai' ? 'model' : annotators

export type ItemEstimate = { ranking: string[][]; bothBad: boolean; strength: number | null; confidence: number }

export type ExportDawidSkene = {
	/** The item's Dawid–Skene answer in terms of its response keys (stored order), or null when it has no units. */
	itemEstimate: (args: { seq: string; keys: string[]; votes: Vote[] }) => ItemEstimate | null
	/**
	 * A comparison item's answer on one pair (`pair`, two of `keys` in stored order): the pair's
	 * unit, read as a pairwise item's (first, second, tie, both bad); null when the pair has no unit.
	 */
	pairEstimate: (args: { seq: string; keys: string[]; pair: string[]; votes: Vote[] }) => ItemEstimate | null
	/** The annotator's reliability, or null when none of their judgments was counted. */
	reliability: (userId: string) => number | null
}

/** The index of the greatest seq not above `seq` in an ascending list, or -1. */
function indexOfSeq(seqs: number[], seq: number) {
	let low = 0
	let high = seqs.length - 1
	while (low <= high) {
		const middle = (low + high) >> 1
		const value = seqs[middle]!
		if (value === seq) return middle
		if (value < seq) low = middle + 1
		else high = middle - 1
	}
	return -1
}

export async function estimateDawidSkene({
	client,
	projectId,
	excluded,
	sources = 'human',
}: {
	client: pg.Client
	projectId: string
	/** Whose judgments: 'human', 'model' or 'all'. */
	sources?: JudgmentSources
	/** Whether an annotator (by user id) is left out of the export. */
	excluded: (userId: string) => boolean
}): Promise<ExportDawidSkene> {
	const { rows: projectRows } = await client.query<{ task_type: string }>(
		'SELECT task_type::text FROM projects WHERE id = $1',
		[projectId],
	)
	const pairwise = projectRows[0]?.task_type === 'pairwise'
	const comparison = projectRows[0]?.task_type === 'comparison'
	const classes = pairwise || comparison ? PAIRWISE_CLASSES.length : PAIR_CLASSES.length

	const observerIndex = new Map<string, number>()
	const observer = new GrowableInt32(1024)
	const unit = new GrowableInt32(1024)
	const label = new GrowableInt32(1024)
	const gold = new GrowableInt32(1024)
	// Per non-gold item with units, in seq order: where its units are.
	const itemSeqs: number[] = []
	const itemFirstUnit = new GrowableInt32(1024)
	const itemEndUnit = new GrowableInt32(1024)
	// A comparison unit's pair: the positions of its two keys among the item's responses.
	const unitPairFirst = new GrowableInt32(1024)
	const unitPairSecond = new GrowableInt32(1024)
	let units = 0
	const observerOf = (userId: string) => {
		let o = observerIndex.get(userId)
		if (o === undefined) {
			o = observerIndex.size
			observerIndex.set(userId, o)
		}
		return o
	}

	for (let after = '-1'; ;) {
		const { rows } = await client.query<[string, string]>({
			name: 'quorum_export_dawid_skene',
			text: UNITS_SQL,
			values: [projectId, after, ITEMS_PER_QUERY, sources],
			rowMode: 'array',
		})
		if (rows.length === 0) break
		after = rows[rows.length - 1]![0]
		for (const [seq, doc] of rows) {
			const [isGold, goldRanking, keys, stored] = JSON.parse(doc) as UnitItem
			if (!keys || keys.length < 2) continue
			const judgments = (stored ?? []).filter(([userId]) => !excluded(userId))
			const clamped = isGold && goldRanking !== null
			if (judgments.length === 0 && !clamped) continue
			const first = units
			if (comparison) {
				const split = splitComparisonItem({
					responses: keys.map((key) => ({ key })),
					judgments: judgments.map(([userId, ranking, bothBad, displayOrder]) => ({
						userId,
						ranking,
						bothBad,
						displayOrder: displayOrder ?? [],
					})),
				})
				for (const { pair, positions, judgments: paired } of split.units) {
					const [a, b] = pair
					gold.push(clamped ? pairwiseClass({ ranking: rankingWithin(goldRanking, pair), bothBad: false }, a, b) : -1)
					for (const judgment of paired) {
						observer.push(observerOf(judgment.userId))
						unit.push(units)
						label.push(pairwiseClass(judgment, a, b))
					}
					unitPairFirst.push(positions[0])
					unitPairSecond.push(positions[1])
					units++
				}
			} else if (pairwise) {
				const [a, b] = keys as [string, string]
				gold.push(clamped ? pairwiseClass({ ranking: goldRanking, bothBad: false }, a, b) : -1)
				for (const [userId, ranking, bothBad] of judgments) {
					observer.push(observerOf(userId))
					unit.push(units)
					label.push(pairwiseClass({ ranking, bothBad }, a, b))
				}
				units++
			} else {
				const goldTier = clamped ? tiersOf(goldRanking) : null
				const judged = judgments.map(([userId, ranking]) => ({ o: observerOf(userId), tier: tiersOf(ranking) }))
				for (let i = 0; i < keys.length; i++) {
					for (let j = i + 1; j < keys.length; j++) {
						gold.push(goldTier ? pairClass(goldTier, keys[i]!, keys[j]!) : -1)
						for (const { o, tier } of judged) {
							const l = pairClass(tier, keys[i]!, keys[j]!)
							if (l < 0) continue
							observer.push(o)
							unit.push(units)
							label.push(l)
						}
						units++
					}
				}
			}
			if (isGold) continue
			itemSeqs.push(Number(seq))
			itemFirstUnit.push(first)
			itemEndUnit.push(units)
		}
		if (rows.length < ITEMS_PER_QUERY) break
	}

	// Only the labels, confidences and reliabilities stay for the stream; the posterior goes.
	const {
		labels,
		confidence: confidences,
		reliability: reliabilities,
	} = dawidSkeneColumnar({
		observers: observerIndex.size,
		units,
		classes,
		observer: observer.view(),
		unit: unit.view(),
		label: label.view(),
		gold: gold.view(),
	})

	function itemEstimate({ seq, keys, votes }: { seq: string; keys: string[]; votes: Vote[] }): ItemEstimate | null {
		const index = indexOfSeq(itemSeqs, Number(seq))
		if (index < 0) return null
		const firstUnit = itemFirstUnit.data[index]!
		const end = itemEndUnit.data[index]!
		let confidence = 1
		for (let u = firstUnit; u < end; u++) confidence = Math.min(confidence, confidences[u]!)
		if (pairwise) {
			const [a, b] = keys as [string, string]
			const l = labels[firstUnit]!
			// The strength of a strict preference: the lower median of the agreeing votes' strengths.
			const strengths: number[] = []
			if (l < 2)
				for (const vote of votes)
					if (vote.strength !== null && pairwiseClass(vote, a, b) === l) strengths.push(vote.strength)
			strengths.sort((x, y) => x - y)
			return {
				ranking: l === 0 ? [[a], [b]] : l === 1 ? [[b], [a]] : [[a, b]],
				bothBad: l === 3,
				strength: strengths.length > 0 ? strengths[Math.floor((strengths.length - 1) / 2)]! : null,
				confidence,
			}
		}
		// Copeland: wins minus losses over the pairs; equal scores share a tier, in stored order.
		const score = keys.map(() => 0)
		let u = firstUnit
		for (let i = 0; i < keys.length; i++) {
			for (let j = i + 1; j < keys.length; j++) {
				const l = labels[u++]!
				if (l === 0) {
					score[i]!++
					score[j]!--
				} else if (l === 2) {
					score[i]!--
					score[j]!++
				}
			}
		}
		const byScore = new Map<number, string[]>()
		keys.forEach((key, i) => byScore.set(score[i]!, [...(byScore.get(score[i]!) ?? []), key]))
		return {
			ranking: [...byScore.entries()].sort((x, y) => y[0] - x[0]).map(([, tier]) => tier),
			bothBad: false,
			strength: null,
			confidence,
		}
	}

	function pairEstimate({
		seq,
		keys,
		pair,
		votes,
	}: {
		seq: string
		keys: string[]
		pair: string[]
		votes: Vote[]
	}): ItemEstimate | null {
		const index = indexOfSeq(itemSeqs, Number(seq))
		const i = keys.indexOf(pair[0]!)
		const j = keys.indexOf(pair[1]!)
		if (index < 0 || i < 0 || j <= i) return null
		let u = itemFirstUnit.data[index]!
		const end = itemEndUnit.data[index]!
		while (u < end && (unitPairFirst.data[u] !== i || unitPairSecond.data[u] !== j)) u++
		if (u >= end) return null
		const l = labels[u]!
		const [a, b] = pair as [string, string]
		const strengths: number[] = []
		if (l < 2)
			for (const vote of votes)
				if (vote.strength !== null && pairwiseClass(vote, a, b) === l) strengths.push(vote.strength)
		strengths.sort((x, y) => x - y)
		return {
			ranking: l === 0 ? [[a], [b]] : l === 1 ? [[b], [a]] : [[a, b]],
			bothBad: l === 3,
			strength: strengths.length > 0 ? strengths[Math.floor((strengths.length - 1) / 2)]! : null,
			confidence: confidences[u]!,
		}
	}

	return {
		itemEstimate,
		pairEstimate,
		reliability: (userId) => {
			const o = observerIndex.get(userId)
			return o === undefined ? null : reliabilities[o]!
		},
	}
}
