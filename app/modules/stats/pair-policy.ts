import { bradleyTerryFromCounts, ELO_BASE, ELO_SCALE } from './bradley-terry.ts'

const ELO_PER_NAT = ELO_SCALE / Math.log(ELO_BASE)

/** Pairs of model indices i < j in row order: (0,1), (0,2), …, (1,2), … */
export function modelPairs(models: number): [number, number][] {
	const pairs: [number, number][] = []
	for (let i = 0; i < models; i++) for (let j = i + 1; j < models; j++) pairs.push([i, j])
	return pairs
}

/** Inverts a symmetric positive-definite matrix (Gauss–Jordan with partial pivoting; small n). */
function invert(m: Float64Array, n: number): Float64Array {
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
 * The active pair policy: sampling probabilities over the pairs of models, proportional to how
 * much one more battle of the pair is expected to shrink the ratings' intervals, mixed with a
 * uniform floor so that every pair keeps being sampled. Like the Chatbot Arena paper's rule
 * (Chiang et al. 2024, §5: sample where one more observation most reduces the uncertainty), with
 * the uncertainty taken from the Bradley–Terry covariance C: a battle of (i, j) adds information
 * w = p(1 − p) along e = e_i − e_j, which lowers the summed variance of the ratings by
 * w‖Ce‖² / (1 + w e'Ce) (Sherman–Morrison): close pairs (w near 1/4) teach more per battle,
 * and pairs whose difference is uncertain have more to learn.
 */
export function activePairProbabilities({
	wins,
	models,
	floor = 0.2,
}: {
	wins: Float64Array
	models: number
	floor?: number
}): Float64Array {
	if (!(floor >= 0 && floor <= 1)) throw new RangeError(`floor must be in [0, 1], got ${floor}`)
	const pairs = modelPairs(models)
	const { theta, covariance: c } = bradleyTerryCovariance({ wins, models })
	const p = models
	const scores = pairs.map(([i, j]) => {
		const prob = 1 / (1 + Math.exp((theta[j] as number) - (theta[i] as number)))
		const w = prob * (1 - prob)
		let spread = 0
		for (let k = 0; k < p; k++) spread += ((c[k * p + i] as number) - (c[k * p + j] as number)) ** 2
		const variance = (c[i * p + i] as number) + (c[j * p + j] as number) - 2 * (c[i * p + j] as number)
		return (w * spread) / (1 + w * variance)
	})
	const total = scores.reduce((s, x) => s + x, 0)
	return Float64Array.from(scores, (score) =>
		total > 0 ? (1 - floor) * (score / total) + floor / pairs.length : 1 / pairs.length,
	)
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
