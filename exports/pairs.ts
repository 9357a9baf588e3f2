import type { ExportOptions } from './options.ts'
import {
	ExportInputError,
	type SkipCounts,
	type SkipReason,
	type SourceJudgment,
	type SourceResponse,
} from './types.ts'

export type ImpliedPair = {
	chosen: SourceResponse
	rejected: SourceResponse
	tie: boolean
	bothBad: boolean
}

export function countSkip(skipped: SkipCounts, reason: SkipReason, n = 1) {
	if (n > 0) skipped[reason] = (skipped[reason] ?? 0) + n
}

// These run for every judgment exported: plain loops and linear lookups (an item holds a handful
// of responses) keep them from allocating more than their result.

function responseFor(
	judgment: SourceJudgment,
	id: string,
	resolved: SourceResponse[][],
	tierIndex: number,
): SourceResponse {
	let response: SourceResponse | undefined
	for (const candidate of judgment.responses) {
		if (candidate.id === id) {
			response = candidate
			break
		}
	}
	if (!response) {
		throw new ExportInputError(
			`Item ${judgment.externalId}: ranking refers to response "${id}", which the item does not have`,
		)
	}
	for (let index = 0; index <= tierIndex; index++) {
		if (resolved[index]!.includes(response)) {
			throw new ExportInputError(`Item ${judgment.externalId}: response "${id}" appears twice in the ranking`)
		}
	}
	return response
}

/** The ranking's tiers with response ids resolved; throws on ids the judgment does not hold. */
export function rankedTiers({ judgment }: { judgment: SourceJudgment }): SourceResponse[][] {
	// Arrays sized up front: an empty array's first push reserves room for sixteen.
	const tiers: SourceResponse[][] = new Array(judgment.ranking.length)
	for (let tierIndex = 0; tierIndex < judgment.ranking.length; tierIndex++) {
		const ids = judgment.ranking[tierIndex]!
		const tier: SourceResponse[] = new Array(ids.length)
		tiers[tierIndex] = tier
		for (let position = 0; position < ids.length; position++)
			tier[position] = responseFor(judgment, ids[position]!, tiers, tierIndex)
	}
	return tiers
}

/**
 * Every pair the ranking implies, C(K,2) of them, in ranking order: the better response is
 * `chosen`. Within a tier the pair is a tie and keeps the tier's stored order.
 */
export function impliedPairs({ judgment }: { judgment: SourceJudgment }): ImpliedPair[] {
	const tiers = rankedTiers({ judgment })
	let ranked = 0
	for (const tier of tiers) ranked += tier.length
	const pairs: ImpliedPair[] = new Array((ranked * (ranked - 1)) / 2)
	let next = 0
	for (let tierIndex = 0; tierIndex < tiers.length; tierIndex++) {
		const tier = tiers[tierIndex]!
		for (let position = 0; position < tier.length; position++) {
			const better = tier[position]!
			for (let other = position + 1; other < tier.length; other++) {
				pairs[next++] = { chosen: better, rejected: tier[other]!, tie: true, bothBad: judgment.bothBad }
			}
			for (let worseTier = tierIndex + 1; worseTier < tiers.length; worseTier++) {
				for (const worse of tiers[worseTier]!)
					pairs[next++] = { chosen: better, rejected: worse, tie: false, bothBad: false }
			}
		}
	}
	return pairs
}

/** Applies the tie policy: with `ties: 'drop'` tied and both-bad pairs are counted and removed. */
export function pairsUnderTiePolicy({
	judgment,
	ties,
	skipped,
}: {
	judgment: SourceJudgment
	ties: ExportOptions['ties']
	skipped: SkipCounts
}): ImpliedPair[] {
	const pairs = impliedPairs({ judgment })
	if (ties === 'raw') return pairs
	let kept = 0
	for (const pair of pairs) {
		if (!pair.tie) pairs[kept++] = pair
		else countSkip(skipped, pair.bothBad ? 'both-bad' : 'tie')
	}
	pairs.length = kept
	return pairs
}

/** Pairs a trainer can learn a preference from; ties and both-bad never qualify. */
export function strictPairs({ judgment, skipped }: { judgment: SourceJudgment; skipped: SkipCounts }) {
	return pairsUnderTiePolicy({ judgment, ties: 'drop', skipped })
}

const llama2Small = [0, 1 / 3, 2 / 3, 1]
const llama2Large = [0, 1, 2, 3]

/**
 * Llama 2's margin for a pairwise judgment's strength (0 negligible .. 3 significant).
 * A ranking of more than two responses has no strength, so its pairs get null.
 */
export function marginFor({
	judgment,
	pair,
	margin,
}: {
	judgment: SourceJudgment
	pair: ImpliedPair
	margin: Exclude<ExportOptions['margin'], 'none'>
}): number | null {
	if (pair.tie) return 0
	if (judgment.responses.length !== 2 || judgment.strength === null) return null
	const scale = margin === 'llama2-small' ? llama2Small : llama2Large
	const value = scale[judgment.strength]
	if (value === undefined || !Number.isInteger(judgment.strength)) {
		throw new ExportInputError(`Item ${judgment.externalId}: strength must be 0, 1, 2 or 3, got ${judgment.strength}`)
	}
	return value
}

export function groupIdFor({ judgment }: { judgment: SourceJudgment }) {
	return judgment.judgmentId === null ? judgment.externalId : `${judgment.externalId}:${judgment.judgmentId}`
}
