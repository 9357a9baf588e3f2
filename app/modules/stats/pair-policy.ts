import { bradleyTerryFromCounts, ELO_BASE, ELO_SCALE } from './bradley-terry.ts'

const ELO_PER_NAT = ELO_SCALE / Math.log(ELO_BASE)

/** Pairs of model indices i < j in row order: (0,1), (0,2), …, (1,2), … */
export function modelPairs(models: number): [number, number][] {
	const pairs: [number, number][] = []
	for (let i = 0; i < models; i++) for (let j = i + 1; j < models; j++) pairs.push([i, j])
	return pairs
}

/** Inverts a symmetric positive-definite matrix (Gauss–Jordan with partial pivoting; small n). */
export function invert(m: Float64Array, n: number): Float64Array {
	const a = Float64Array.from(m)
	const inv = new Float64Array(n * n)
	for (let i = 0; i < n; i++) inv[i * n + i] = 1
	for (let c = 0; c < n; c++) {
		let pivot = c
		for (let r = c + 1; r < n; r++)
			if (Math.abs(a[r * n + c] as number) > Math.abs(a[pivot * n + c] as number)) pivot = r
		if (pivot !== c) {
			for (let k = 0; k < n; k++) {
				;[a[c * n + k], a[pivot * n + k]] = [a[pivot * n + k] as number, a[c * n + k] as number]
				;[inv[c * n + k], inv[pivot * n + k]] = [inv[pivot * n + k] as number, inv[c * n + k] as number]
			}
		}
		const d = a[c * n + c] as number
		for (let k = 0; k < n; k++) {
			a[c * n + k] = (a[c * n + k] as number) / d
			inv[c * n + k] = (inv[c * n + k] as number) / d
		}
		for (let r = 0; r < n; r++) {
			if (r === c) continue
			const f = a[r * n + c] as number
			if (f === 0) continue
			for (let k = 0; k < n; k++) {
				a[r * n + k] = (a[r * n + k] as number) - f * (a[c * n + k] as number)
				inv[r * n + k] = (inv[r * n + k] as number) - f * (inv[c * n + k] as number)
			}
		}
	}
	return inv
}

/**
 * Ratings (natural-log strengths, mean 0) and their covariance from a p x p win matrix: the
 * inverse Fisher information of the Bradley–Terry likelihood under the mean-zero constraint,
 * (L + 11'/p)⁻¹ − 11'/p with L = Σ n_ij p_ij (1 − p_ij) (e_i − e_j)(e_i − e_j)'. A small ridge
 * keeps it finite while some models have not met.
 */
export function bradleyTerryCovariance({
	wins,
	models,
	ridge = 1e-3,
}: {
	wins: Float64Array
	models: number
	ridge?: number
}) {
	const p = models
	const names = Array.from({ length: p }, (_, i) => String(i))
	const theta = bradleyTerryFromCounts({ models: names, wins, ridge }).logStrengths.map((t) =>
		Number.isFinite(t) ? t : 0,
	)
	const info = new Float64Array(p * p)
	for (let i = 0; i < p; i++) {
		for (let j = i + 1; j < p; j++) {
			const n = (wins[i * p + j] as number) + (wins[j * p + i] as number)
			const prob = 1 / (1 + Math.exp((theta[j] as number) - (theta[i] as number)))
			const w = n * prob * (1 - prob)
			info[i * p + i] = (info[i * p + i] as number) + w
			info[j * p + j] = (info[j * p + j] as number) + w
			info[i * p + j] = (info[i * p + j] as number) - w
			info[j * p + i] = (info[j * p + i] as number) - w
		}
	}
	for (let i = 0; i < p; i++) info[i * p + i] = (info[i * p + i] as number) + ridge
	for (let k = 0; k < p * p; k++) info[k] = (info[k] as number) + 1 / p
	const covariance = invert(info, p)
	for (let k = 0; k < p * p; k++) covariance[k] = (covariance[k] as number) - 1 / p
	return { theta, covariance }
}

/**
 * The active pair policy: sampling probabilities over the pairs of models for the next `batch`
 * battles, mixed with a uniform `floor` so that every pair keeps being sampled. Like the Chatbot
 * Arena paper's rule (Chiang et al. 2024, §5: sample where one more observation most reduces the
 * uncertainty), with the uncertainty taken from the Bradley–Terry covariance C at the current
 * ratings. The next battles are planned one at a time, each for the pair that most lowers the mean
 * standard deviation of the ratings (the leaderboard's mean interval width): a battle of (i, j)
 * adds information w = p(1 − p) along e = e_i − e_j, which lowers C_kk by w (Ce)_k² / (1 + w e'Ce)
 * (Sherman–Morrison), and C is updated before the next one. So close pairs (w near 1/4) and
 * models whose rating is still uncertain are sampled more; the plan's shares are the probabilities.
 */
export function activePairProbabilities({
	wins,
	models,
	floor = 0.1,
	batch = 250,
}: {
	wins: Float64Array
	models: number
	floor?: number
	batch?: number
}): Float64Array {
	if (!(floor >= 0 && floor <= 1)) throw new RangeError(`floor must be in [0, 1], got ${floor}`)
	const pairs = modelPairs(models)
	if (!wins.some((x) => x > 0)) return new Float64Array(pairs.length).fill(1 / pairs.length)
	const { theta, covariance } = bradleyTerryCovariance({ wins, models })
	const p = models
	const c = Float64Array.from(covariance)
	const w = pairs.map(([i, j]) => {
		const prob = 1 / (1 + Math.exp((theta[j] as number) - (theta[i] as number)))
		return prob * (1 - prob)
	})
	const counts = new Float64Array(pairs.length)
	const ce = new Float64Array(p)
	const steps = Math.min(batch, 250)
	const block = batch / steps
	for (let s = 0; s < steps; s++) {
		let best = 0
		let bestGain = -1
		for (let k = 0; k < pairs.length; k++) {
			const [i, j] = pairs[k] as [number, number]
			for (let r = 0; r < p; r++) ce[r] = (c[r * p + i] as number) - (c[r * p + j] as number)
			const ece = (ce[i] as number) - (ce[j] as number)
			const dw = block * (w[k] as number)
			let gain = 0
			for (let r = 0; r < p; r++) {
				const before = Math.max(0, c[r * p + r] as number)
				gain += Math.sqrt(before) - Math.sqrt(Math.max(0, before - (dw * (ce[r] as number) ** 2) / (1 + dw * ece)))
			}
			if (gain > bestGain) {
				bestGain = gain
				best = k
			}
		}
		counts[best] = (counts[best] as number) + 1
		const [i, j] = pairs[best] as [number, number]
		for (let r = 0; r < p; r++) ce[r] = (c[r * p + i] as number) - (c[r * p + j] as number)
		const dw = block * (w[best] as number)
		const f = dw / (1 + dw * ((ce[i] as number) - (ce[j] as number)))
		for (let r = 0; r < p; r++)
			for (let q = 0; q < p; q++) c[r * p + q] = (c[r * p + q] as number) - f * (ce[r] as number) * (ce[q] as number)
	}
	return Float64Array.from(counts, (n) => (1 - floor) * (n / steps) + floor / pairs.length)
}

/** The Elo-scale standard deviation of a rating difference, for display and tests. */
export function differenceSdElo(covariance: Float64Array, p: number, i: number, j: number): number {
	return (
		ELO_PER_NAT *
		Math.sqrt(
			Math.max(
				0,
				(covariance[i * p + i] as number) + (covariance[j * p + j] as number) - 2 * (covariance[i * p + j] as number),
			),
		)
	)
}
