import { majoritySign as majority } from './consensus.ts'

/**
 * consensusFor's pairwise rule on vote signs alone (+1 first better, −1 second better, 0 tie or
 * both bad): the unique most frequent sign, else a tie. Gives the item's disagreement and, for
 * each vote, whether it matches the consensus of the other votes, in O(votes) where calling
 * consensusFor once per left-out vote costs O(votes²) and allocations. Tested against it.
 */
export function pairwiseVoteSummary({ signs }: { signs: readonly number[] }) {
	let plus = 0
	let minus = 0
	let zero = 0
	for (const sign of signs) {
		if (sign > 0) plus++
		else if (sign < 0) minus++
		else zero++
	}
	const sign = majority(plus, minus, zero)
	const matching = sign === 1 ? plus : sign === -1 ? minus : zero
	const n = signs.length
	const leaveOneOut = signs.map((own) => {
		const looSign = majority(plus - (own > 0 ? 1 : 0), minus - (own < 0 ? 1 : 0), zero - (own === 0 ? 1 : 0))
		return Math.sign(own) === looSign ? 1 : 0
	})
	return { sign, disagreement: n === 0 ? 0 : 1 - matching / n, leaveOneOut }
}
