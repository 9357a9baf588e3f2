import { describe, expect, test } from 'vitest'
import { bootstrapCi, bootstrapDistribution } from './bootstrap.ts'
import { krippendorffAlphaFromUnits } from './krippendorff.ts'
import { createRng } from './prng.ts'

const mean = (sample: readonly number[]) => sample.reduce((a, b) => a + b, 0) / sample.length

describe('seeded generator', () => {
	test('the same seed gives the same stream, another seed another one', () => {
		const draw = (seed: number) => {
			const rng = createRng(seed)
			return Array.from({ length: 8 }, () => rng.nextUint32())
		}
		expect(draw(42)).toEqual(draw(42))
		expect(draw(42)).not.toEqual(draw(43))
		expect(draw(2 ** 40)).not.toEqual(draw(0))
	})

	test('nextInt stays in range and covers it evenly', () => {
		const rng = createRng(1)
		const counts = new Array<number>(6).fill(0)
		for (let i = 0; i < 60_000; i++) {
			const k = rng.nextInt(6)
			counts[k] = (counts[k] as number) + 1
		}
		for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500)
		const f = rng.nextFloat()
		expect(f).toBeGreaterThanOrEqual(0)
		expect(f).toBeLessThan(1)
	})

	test('rejects seeds that are not integers', () => {
		expect(() => createRng(1.5)).toThrow(RangeError)
	})
})

describe('bootstrapCi', () => {
	const rng = createRng(9)
	const values = Array.from({ length: 200 }, () => rng.nextFloat() * 10)

	test('is reproducible with the same seed and differs with another', () => {
		const a = bootstrapCi({ units: values, statistic: mean, rounds: 300, seed: 7 })
		const b = bootstrapCi({ units: values, statistic: mean, rounds: 300, seed: 7 })
		const c = bootstrapCi({ units: values, statistic: mean, rounds: 300, seed: 8 })
		expect(a).toEqual(b)
		expect([c.low, c.high]).not.toEqual([a.low, a.high])
	})

	test('brackets the estimate and narrows with a wider alpha', () => {
		const ci95 = bootstrapCi({ units: values, statistic: mean, rounds: 500, seed: 1 })
		const ci50 = bootstrapCi({ units: values, statistic: mean, rounds: 500, seed: 1, alpha: 0.5 })
		expect(ci95.estimate).toBeCloseTo(mean(values), 12)
		expect(ci95.low).toBeLessThan(ci95.estimate)
		expect(ci95.high).toBeGreaterThan(ci95.estimate)
		expect(ci50.high - ci50.low).toBeLessThan(ci95.high - ci95.low)
		expect(ci95.validRounds).toBe(500)
	})

	test('resamples units of Krippendorff alpha and leaves undefined rounds out', () => {
		const units = [
			[1, 1],
			[2, 2],
			[1, 2],
			[3, 3],
			[2, 2, 2],
			[1, 3],
		]
		const ci = bootstrapCi({
			units,
			statistic: (sample) => krippendorffAlphaFromUnits({ units: sample, level: 'interval' }).alpha,
			rounds: 200,
			seed: 3,
		})
		expect(ci.validRounds).toBeGreaterThan(150)
		expect(ci.validRounds).toBeLessThanOrEqual(200)
		expect(ci.low).toBeLessThanOrEqual(ci.high)
	})

	test('bootstrapDistribution is the per-round statistic', () => {
		const d = bootstrapDistribution({ units: [5, 5, 5], statistic: mean, rounds: 4, seed: 0 })
		expect(Array.from(d)).toEqual([5, 5, 5, 5])
	})
})
