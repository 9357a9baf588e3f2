import { describe, expect, test } from 'vitest'
import { binomialSample, multinomialSample } from './multinomial.ts'
import { createRng } from './prng.ts'

/** Pearson's chi-square of draws against the exact pmf, cells with expected count < 5 pooled. */
function chiSquare(draws: number[], n: number, p: number): { statistic: number; df: number } {
	const counts = new Float64Array(n + 1)
	for (const x of draws) counts[x] = (counts[x] as number) + 1
	let statistic = 0
	let df = -1
	let pooledObserved = 0
	let pooledExpected = 0
	let logPmf = n * Math.log1p(-p)
	for (let k = 0; k <= n; k++) {
		if (k > 0) logPmf += Math.log((n - k + 1) / k) + Math.log(p / (1 - p))
		const expected = draws.length * Math.exp(logPmf)
		pooledObserved += counts[k] as number
		pooledExpected += expected
		if (pooledExpected >= 5) {
			statistic += (pooledObserved - pooledExpected) ** 2 / pooledExpected
			df++
			pooledObserved = 0
			pooledExpected = 0
		}
	}
	return { statistic, df }
}

describe('binomial draws', () => {
	// 99.9% quantiles of chi-square would be about df + 3.1 sqrt(2 df); a generous bound keeps the test stable and still fails a biased sampler.
	test.each([
		[20, 0.1],
		[50, 0.3],
		[400, 0.5],
		[1000, 0.93],
		[100_000, 0.002],
	])('Binomial(%i, %f) matches the exact distribution', (n, p) => {
		const rng = createRng(7)
		const draws = Array.from({ length: 40_000 }, () => binomialSample(rng, n, p))
		const { statistic, df } = chiSquare(draws, n, p)
		expect(statistic).toBeLessThan(df + 4 * Math.sqrt(2 * df))
		const mean = draws.reduce((s, x) => s + x, 0) / draws.length
		expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / draws.length))
	})

	test('moments for a million trials, as one bootstrap cell of a large leaderboard', () => {
		const rng = createRng(3)
		const n = 1_000_000
		const p = 0.0137
		const draws = Array.from({ length: 20_000 }, () => binomialSample(rng, n, p))
		const mean = draws.reduce((s, x) => s + x, 0) / draws.length
		const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws.length - 1)
		expect(Math.abs(mean - n * p) / Math.sqrt((n * p * (1 - p)) / draws.length)).toBeLessThan(5)
		expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.95)
		expect(variance / (n * p * (1 - p))).toBeLessThan(1.05)
	})

	test('edges and bad arguments', () => {
		const rng = createRng(1)
		expect(binomialSample(rng, 0, 0.5)).toBe(0)
		expect(binomialSample(rng, 10, 0)).toBe(0)
		expect(binomialSample(rng, 10, 1)).toBe(10)
		expect(() => binomialSample(rng, -1, 0.5)).toThrow(RangeError)
		expect(() => binomialSample(rng, 3, 1.5)).toThrow(RangeError)
	})
})

describe('multinomial draws', () => {
	test('counts sum to n, follow the weights, skip empty cells, and repeat with the seed', () => {
		const weights = [5, 0, 1, 3, 1]
		const run = (seed: number) => {
			const rng = createRng(seed)
			const out = new Float64Array(weights.length)
			const totals = new Float64Array(weights.length)
			for (let r = 0; r < 2000; r++) {
				multinomialSample(rng, 1000, weights, out)
				expect(out.reduce((s, x) => s + x, 0)).toBe(1000)
				expect(out[1]).toBe(0)
				out.forEach((x, i) => (totals[i] = (totals[i] as number) + x))
			}
			return totals
		}
		const totals = run(11)
		weights.forEach((w, i) => {
			const expected = (2000 * 1000 * w) / 10
			expect(Math.abs((totals[i] as number) - expected)).toBeLessThanOrEqual(5 * Math.sqrt(expected + 1))
		})
		expect(run(11)).toEqual(totals)
		expect(run(12)).not.toEqual(totals)
	})
})
