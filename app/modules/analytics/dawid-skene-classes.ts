// How a judgment becomes a Dawid–Skene label, shared by the analytics and the exports so both
// estimate from the same units.
import { signedPreference } from './consensus.ts'

/** Pairwise classes, relative to the item's stored response order. */
export const PAIRWISE_CLASSES = ['first', 'second', 'tie', 'both-bad'] as const
/** Ranking classes for the pair (i, j), i before j in stored order: i better, tie, j better. */
export const PAIR_CLASSES = ['better', 'tie', 'worse'] as const

export function pairwiseClass(
	judgment: { ranking: string[][]; bothBad: boolean },
	first: string,
	second: string,
): number {
	if (judgment.bothBad) return 3
	const sign = signedPreference({ vote: { ranking: judgment.ranking, bothBad: false, strength: null }, first, second })
	return sign > 0 ? 0 : sign < 0 ? 1 : 2
}

export function tiersOf(ranking: string[][]) {
	const tier = new Map<string, number>()
	ranking.forEach((keys, t) => keys.forEach((key) => tier.set(key, t)))
	return tier
}

/** The class of the pair (a, b) in a ranking's tiers, or -1 when the ranking lacks either. */
export function pairClass(tier: Map<string, number>, a: string, b: string): number {
	const ta = tier.get(a)
	const tb = tier.get(b)
	if (ta === undefined || tb === undefined) return -1
	return ta < tb ? 0 : ta === tb ? 1 : 2
}
