// What stands between the active policy and the arena goal: the best battle ratio any pair policy
// could reach on the planted setup, even knowing the true ratings. The Bradley–Terry covariance of
// the ratings after n_ij battles of each pair is (Σ n_ij w_ij e e')⁺ with w_ij = p_ij (1 − p_ij)
// at the true ratings; the mean 95% interval width is proportional to the mean of its diagonal's
// square roots. A greedy design adds battles, a small step at a time, to the pair that lowers that
// mean most (Sherman–Morrison: one battle block of pair (i, j) lowers C_kk by
// δw (Ce)_k² / (1 + δw e'Ce)). The width falls as 1/√battles under any fixed allocation, so the
// ratio of battles to the same width is (best mean sd ÷ uniform mean sd)² at any equal total.
import { invert, modelPairs } from '#app/modules/stats/pair-policy.ts'

function covariance(allocation: Float64Array, weights: Float64Array, pairs: [number, number][], p: number) {
	const info = new Float64Array(p * p)
	pairs.forEach(([i, j], k) => {
		const x = (allocation[k] as number) * (weights[k] as number)
		info[i * p + i] = (info[i * p + i] as number) + x
		info[j * p + j] = (info[j * p + j] as number) + x
		info[i * p + j] = (info[i * p + j] as number) - x
		info[j * p + i] = (info[j * p + i] as number) - x
	})
	// The ratings are mean-centred, as the leaderboard's are: invert on the complement of 1.
	for (let k = 0; k < p * p; k++) info[k] = (info[k] as number) + 1 / p
	const c = invert(info, p)
	for (let k = 0; k < p * p; k++) c[k] = (c[k] as number) - 1 / p
	return c
}

const meanSd = (c: Float64Array, p: number) => {
	let s = 0
	for (let i = 0; i < p; i++) s += Math.sqrt(Math.max(0, c[i * p + i] as number))
	return s / p
}

/** Elo ratings → the best achievable active ÷ uniform battle ratio for the mean interval width. */
export function optimalBattleRatio({ ratings, steps = 2000 }: { ratings: number[]; steps?: number }) {
	const p = ratings.length
	const pairs = modelPairs(p)
	const weights = Float64Array.from(pairs, ([i, j]) => {
		const prob = 1 / (1 + 10 ** (((ratings[j] as number) - (ratings[i] as number)) / 400))
		return prob * (1 - prob)
	})
	const total = 1
	const uniform = meanSd(covariance(new Float64Array(pairs.length).fill(total / pairs.length), weights, pairs, p), p)
	// Start from a thin uniform layer so that every rating is identified, then add in small steps.
	const allocation = new Float64Array(pairs.length).fill((0.01 * total) / pairs.length)
	const step = (0.99 * total) / steps
	let c = covariance(allocation, weights, pairs, p)
	const ce = new Float64Array(p)
	for (let s = 0; s < steps; s++) {
		let best = 0
		let bestGain = -1
		pairs.forEach(([i, j], k) => {
			let ece = 0
			for (let r = 0; r < p; r++) {
				ce[r] = (c[r * p + i] as number) - (c[r * p + j] as number)
				ece += (ce[r] as number) * (r === i ? 1 : r === j ? -1 : 0)
			}
			const dw = step * (weights[k] as number)
			let gain = 0
			for (let r = 0; r < p; r++) {
				const before = c[r * p + r] as number
				gain += Math.sqrt(before) - Math.sqrt(Math.max(0, before - (dw * (ce[r] as number) ** 2) / (1 + dw * ece)))
			}
			if (gain > bestGain) {
				bestGain = gain
				best = k
			}
		})
		allocation[best] = (allocation[best] as number) + step
		c = covariance(allocation, weights, pairs, p)
	}
	const optimal = meanSd(c, p)
	return { ratio: (optimal / uniform) ** 2, allocation }
}
