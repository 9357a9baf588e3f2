import { quantileOfSorted, sortedFinite } from './descriptive.ts'
import { createRng } from './prng.ts'

export interface BootstrapInterval {
	/** The statistic on the full sample. */
	estimate: number
	low: number
	high: number
	rounds: number
	/** Rounds whose statistic was a number (NaN results, e.g. a degenerate resample, are left out). */
	validRounds: number
}

/**
 * Percentile bootstrap interval: resamples units with replacement `rounds` times from a seeded
 * xoshiro128** stream and takes the alpha/2 and 1 - alpha/2 quantiles (type 7) of the statistic.
 * One sample array is reused for every round, so `statistic` must not keep a reference to it.
 */
export function bootstrapCi<T>({
	units,
	statistic,
	rounds = 1000,
	seed,
	alpha = 0.05,
}: {
	units: ArrayLike<T>
	statistic: (sample: readonly T[]) => number
	rounds?: number
	seed: number
	alpha?: number
}): BootstrapInterval {
	if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`)
	const distribution = bootstrapDistribution({ units, statistic, rounds, seed })
	const sorted = sortedFinite(distribution)
	return {
		estimate: statistic(Array.from(units)),
		low: quantileOfSorted(sorted, alpha / 2),
		high: quantileOfSorted(sorted, 1 - alpha / 2),
		rounds,
		validRounds: sorted.length,
	}
}

/** The statistic on each of `rounds` resamples, in order. */
export function bootstrapDistribution<T>({
	units,
	statistic,
	rounds,
	seed,
}: {
	units: ArrayLike<T>
	statistic: (sample: readonly T[]) => number
	rounds: number
	seed: number
}): Float64Array {
	if (!Number.isInteger(rounds) || rounds < 0)
		throw new RangeError(`rounds must be a non-negative integer, got ${rounds}`)
	const n = units.length
	const out = new Float64Array(rounds).fill(Number.NaN)
	if (n === 0) return out
	const rng = createRng(seed)
	const sample = new Array<T>(n)
	for (let r = 0; r < rounds; r++) {
		for (let i = 0; i < n; i++) sample[i] = units[rng.nextInt(n)] as T
		out[r] = statistic(sample)
	}
	return out
}
