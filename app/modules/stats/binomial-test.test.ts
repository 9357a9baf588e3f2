import { describe, expect, test } from 'vitest'
import { binomialTestTwoSided, logGamma } from './binomial-test.ts'
import { median, quantile } from './descriptive.ts'

describe('exact two-sided binomial test', () => {
	// p-values printed by SciPy 1.17 scipy.stats.binomtest(k, n, p).pvalue (same rule as R binom.test)
	const cases: [number, number, number, number][] = [
		[7, 10, 0.5, 0.34375],
		[3, 10, 0.5, 0.34375],
		[5, 10, 0.5, 1],
		[0, 5, 0.5, 0.0625],
		[10, 10, 0.5, 0.001953125],
		[9, 12, 0.5, 0.14599609375],
		[60, 100, 0.5, 0.05688793364098089],
		[520, 1000, 0.5, 0.2174482932041415],
		[5210, 10000, 0.5, 2.7824418797091576e-5],
		[3, 15, 0.1, 0.18406106910639106],
		[682, 925, 0.75, 0.3824915595748517],
	]
	for (const [successes, trials, p, expected] of cases) {
		test(`${successes} of ${trials} at p = ${p}`, () => {
			const value = binomialTestTwoSided({ successes, trials, p })
			expect(Math.abs(value - expected) / expected).toBeLessThan(1e-9)
		})
	}

	test('edge cases', () => {
		expect(binomialTestTwoSided({ successes: 0, trials: 0 })).toBe(1)
		expect(binomialTestTwoSided({ successes: 1, trials: 1 })).toBe(1)
		expect(() => binomialTestTwoSided({ successes: 4, trials: 3 })).toThrow(RangeError)
	})

	test('logGamma matches factorials', () => {
		expect(logGamma(1)).toBeCloseTo(0, 13)
		expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 12)
		expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13)
	})
})

describe('median and quantile', () => {
	test('median of odd and even counts, NaN ignored', () => {
		expect(median([3, 1, 2])).toBe(2)
		expect(median([4, 1, 3, 2])).toBe(2.5)
		expect(median([Number.NaN, 5, 1])).toBe(3)
		expect(median([])).toBeNaN()
	})

	test('quantile interpolates linearly (type 7)', () => {
		expect(quantile([1, 2, 3, 4, 5], 0.025)).toBeCloseTo(1.1, 14)
		expect(quantile([1, 2, 3, 4, 5], 0.975)).toBeCloseTo(4.9, 14)
		expect(quantile([10], 0.3)).toBe(10)
	})
})
