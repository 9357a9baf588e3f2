import { bootstrapDistribution } from '#app/modules/stats/bootstrap.ts'
import { quantileOfSorted, sortedFinite } from '#app/modules/stats/descriptive.ts'

/** Bootstrap rounds that keep a refresh of a large project within seconds: fewer for more items. */
export function roundsFor(items: number) {
	return Math.max(200, Math.min(1000, Math.floor(50_000_000 / Math.max(1, items))))
}

/**
 * Percentile intervals for several statistics of the same items from one item-level bootstrap:
 * each round resamples the items with replacement (the stats module's seeded resampler) once,
 * and every statistic is computed from how often each item was drawn. Drawing is most of the
 * cost, so sharing the draws makes the figures of a large project affordable, and their
 * intervals come from the same resamples.
 */
export function bootstrapFigures({
	items,
	statistics,
	rounds = roundsFor(items),
	seed,
	alpha = 0.05,
}: {
	items: number
	statistics: ((itemWeights: Float64Array) => number)[]
	rounds?: number
	seed: number
	alpha?: number
}): { low: number; high: number; rounds: number }[] {
	if (items < 2 || statistics.length === 0)
		return statistics.map(() => ({ low: Number.NaN, high: Number.NaN, rounds: 0 }))
	const weights = new Float64Array(items)
	const results = statistics.map(() => new Float64Array(rounds))
	let round = 0
	bootstrapDistribution({
		units: Int32Array.from({ length: items }, (_, i) => i),
		rounds,
		seed,
		statistic: (sample) => {
			weights.fill(0)
			for (let i = 0; i < sample.length; i++)
				weights[sample[i] as number] = (weights[sample[i] as number] as number) + 1
			statistics.forEach((statistic, s) => ((results[s] as Float64Array)[round] = statistic(weights)))
			round++
			return 0
		},
	})
	return results.map((values) => {
		const sorted = sortedFinite(values)
		return { low: quantileOfSorted(sorted, alpha / 2), high: quantileOfSorted(sorted, 1 - alpha / 2), rounds }
	})
}
