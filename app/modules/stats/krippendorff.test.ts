import { describe, expect, test } from 'vitest'
import examples from '#tests/fixtures/agreement-examples.json'
import type { RatingValue } from './coincidences.ts'
import {
	coincidenceMatrix,
	krippendorffAlpha,
	krippendorffAlphaColumnar,
	krippendorffAlphaFromUnits,
	type AlphaLevel,
} from './krippendorff.ts'
import { createRng } from './prng.ts'

const LEVELS: AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio']

/** Textbook alpha straight from the pairable pairs, O(pairs), as an independent check. */
function naiveAlpha(data: readonly (readonly RatingValue[])[], level: AlphaLevel): number {
	const width = Math.max(...data.map((row) => row.length))
	const units: number[][] = []
	for (let u = 0; u < width; u++) {
		const values = data.map((row) => row[u]).filter((v): v is number => typeof v === 'number')
		if (values.length >= 2) units.push(values)
	}
	const all = units.flat()
	const n = all.length
	const freq = new Map<number, number>()
	for (const v of all) freq.set(v, (freq.get(v) ?? 0) + 1)
	const distinct = [...freq.keys()].sort((a, b) => a - b)
	const cumulative = new Map<number, number>()
	let running = 0
	for (const g of distinct) cumulative.set(g, (running += freq.get(g) as number))
	const delta2 = (c: number, k: number): number => {
		if (level === 'nominal') return c === k ? 0 : 1
		if (level === 'interval') return (c - k) ** 2
		if (level === 'ratio') return c + k === 0 ? 0 : ((c - k) / (c + k)) ** 2
		const [lo, hi] = c < k ? [c, k] : [k, c]
		const sum = (cumulative.get(hi) as number) - (cumulative.get(lo) as number) + (freq.get(lo) as number)
		return (sum - ((freq.get(c) as number) + (freq.get(k) as number)) / 2) ** 2
	}
	let observed = 0
	for (const unit of units) {
		for (let i = 0; i < unit.length; i++) {
			for (let j = 0; j < unit.length; j++)
				if (i !== j) observed += delta2(unit[i] as number, unit[j] as number) / (unit.length - 1)
		}
	}
	let expected = 0
	for (let i = 0; i < n; i++)
		for (let j = 0; j < n; j++) if (i !== j) expected += delta2(all[i] as number, all[j] as number)
	return 1 - observed / n / (expected / (n * (n - 1)))
}

function randomData(
	seed: number,
	observers: number,
	units: number,
	categories: number,
	missing = 0.2,
): (number | null)[][] {
	const rng = createRng(seed)
	const truth = Array.from({ length: units }, () => rng.nextInt(categories) + 1)
	return Array.from({ length: observers }, () =>
		truth.map((t) => {
			if (rng.nextFloat() < missing) return null
			return rng.nextFloat() < 0.6 ? t : rng.nextInt(categories) + 1
		}),
	)
}

const transpose = <T>(data: readonly (readonly T[])[]): T[][] =>
	Array.from({ length: data[0]?.length ?? 0 }, (_, u) => data.map((row) => row[u] as T))

describe('reference examples (printed to 10 decimals, compared to 1e-9)', () => {
	const k2011 = examples.krippendorff_2011
	for (const [level, expected] of Object.entries(k2011.alpha)) {
		test(`Krippendorff 2011 worked example, ${level}`, () => {
			const result = krippendorffAlpha({ data: k2011.data, level: level as AlphaLevel })
			expect(Math.abs(result.alpha - expected)).toBeLessThan(1e-9)
			expect(result.units).toBe(11)
			expect(result.pairableValues).toBe(40)
		})
	}
	const wiki = examples.krippendorff_wikipedia
	for (const [level, expected] of Object.entries(wiki.alpha)) {
		test(`Wikipedia example, ${level}`, () => {
			expect(
				Math.abs(krippendorffAlpha({ data: wiki.data, level: level as AlphaLevel }).alpha - expected),
			).toBeLessThan(1e-9)
		})
	}
})

describe('coincidence matrix', () => {
	test('Krippendorff 2011 example: the published coincidence matrix', () => {
		const { categories, matrix } = coincidenceMatrix({ data: examples.krippendorff_2011.data })
		expect(categories).toEqual([1, 2, 3, 4, 5])
		const published = [
			[7, 4 / 3, 1 / 3, 1 / 3, 0],
			[4 / 3, 10, 4 / 3, 1 / 3, 0],
			[1 / 3, 4 / 3, 8, 1 / 3, 0],
			[1 / 3, 1 / 3, 1 / 3, 4, 0],
			[0, 0, 0, 0, 3],
		]
		published.forEach((row, c) => row.forEach((o, k) => expect(matrix[c * 5 + k]).toBeCloseTo(o, 12)))
	})
})

describe('agreement with a direct pairwise computation', () => {
	for (const level of LEVELS) {
		test(`random data, ${level}`, () => {
			for (const seed of [1, 2, 3]) {
				const data = randomData(seed, 4, 60, 6)
				expect(krippendorffAlpha({ data, level }).alpha).toBeCloseTo(naiveAlpha(data, level), 12)
			}
		})
	}

	test('more distinct values than the dense matrix holds (sparse coincidences)', () => {
		const rng = createRng(7)
		const data = Array.from({ length: 3 }, () =>
			Array.from({ length: 800 }, () => (rng.nextFloat() < 0.1 ? null : rng.nextInt(1_000_000))),
		)
		for (const level of LEVELS) {
			expect(krippendorffAlpha({ data, level }).alpha).toBeCloseTo(naiveAlpha(data, level), 9)
		}
	})
})

describe('properties', () => {
	test('perfect agreement gives 1 at every level', () => {
		const data = [
			[1, 2, 3, null, 5, 2],
			[1, 2, 3, 4, 5, null],
			[1, null, 3, 4, 5, 2],
		]
		for (const level of LEVELS) expect(krippendorffAlpha({ data, level }).alpha).toBe(1)
	})

	test('relabelling categories leaves nominal alpha unchanged', () => {
		const data = randomData(11, 3, 80, 4)
		const labels = new Map<number, string | number>([
			[1, 'cat'],
			[2, 17],
			[3, 'dog'],
			[4, -2.5],
		])
		const relabelled = data.map((row) => row.map((v) => (v === null ? null : (labels.get(v) as string | number))))
		const before = krippendorffAlpha({ data, level: 'nominal' }).alpha
		expect(krippendorffAlpha({ data: relabelled, level: 'nominal' }).alpha).toBeCloseTo(before, 14)
	})

	test('observer order does not matter', () => {
		const data = randomData(12, 4, 50, 5)
		const reordered = [data[2], data[0], data[3], data[1]] as (number | null)[][]
		for (const level of LEVELS) {
			expect(krippendorffAlpha({ data: reordered, level }).alpha).toBeCloseTo(
				krippendorffAlpha({ data, level }).alpha,
				14,
			)
		}
	})

	test('unit order does not matter', () => {
		const data = randomData(13, 3, 50, 5)
		const rng = createRng(99)
		const order = Array.from({ length: 50 }, (_, i) => i)
		for (let i = order.length - 1; i > 0; i--) {
			const j = rng.nextInt(i + 1)
			;[order[i], order[j]] = [order[j] as number, order[i] as number]
		}
		const shuffled = data.map((row) => order.map((u) => row[u] as number | null))
		for (const level of LEVELS) {
			expect(krippendorffAlpha({ data: shuffled, level }).alpha).toBeCloseTo(
				krippendorffAlpha({ data, level }).alpha,
				14,
			)
		}
	})

	test('units with fewer than two values are dropped', () => {
		const data = randomData(14, 3, 40, 4)
		const withLonely = data.map((row, r) => [...row, r === 0 ? 3 : null, null])
		const before = krippendorffAlpha({ data, level: 'ordinal' })
		const after = krippendorffAlpha({ data: withLonely, level: 'ordinal' })
		expect(after.alpha).toBe(before.alpha)
		expect(after.units).toBe(before.units)
	})

	test('no variation at all leaves alpha undefined (NaN)', () => {
		const result = krippendorffAlpha({
			data: [
				[2, 2],
				[2, 2],
			],
			level: 'interval',
		})
		expect(result.alpha).toBeNaN()
		expect(result.expectedDisagreement).toBe(0)
	})

	test('strings are rejected for non-nominal levels, negatives for ratio', () => {
		expect(() =>
			krippendorffAlpha({
				data: [
					['a', 'b'],
					['a', 'b'],
				],
				level: 'ordinal',
			}),
		).toThrow(TypeError)
		expect(() =>
			krippendorffAlpha({
				data: [
					[-1, 2],
					[1, 2],
				],
				level: 'ratio',
			}),
		).toThrow(RangeError)
	})
})

describe('entry points', () => {
	test('per-unit lists, columnar (grouped and shuffled) and the matrix agree', () => {
		const data = randomData(21, 5, 200, 7)
		const units = transpose(data)
		const unitIndex: number[] = []
		const values: number[] = []
		units.forEach((unit, u) => {
			for (const v of unit) {
				unitIndex.push(u)
				values.push(v ?? Number.NaN)
			}
		})
		const rng = createRng(5)
		const perm = Array.from({ length: values.length }, (_, i) => i)
		for (let i = perm.length - 1; i > 0; i--) {
			const j = rng.nextInt(i + 1)
			;[perm[i], perm[j]] = [perm[j] as number, perm[i] as number]
		}
		for (const level of LEVELS) {
			const expected = krippendorffAlpha({ data, level })
			expect(krippendorffAlphaFromUnits({ units, level })).toEqual(expected)
			const grouped = krippendorffAlphaColumnar({
				unitIndex: Int32Array.from(unitIndex),
				values: Float64Array.from(values),
				level,
			})
			expect(grouped.alpha).toBeCloseTo(expected.alpha, 14)
			expect(grouped.units).toBe(expected.units)
			const shuffled = krippendorffAlphaColumnar({
				unitIndex: Int32Array.from(perm, (i) => unitIndex[i] as number),
				values: Float64Array.from(perm, (i) => values[i] as number),
				level,
			})
			expect(shuffled.alpha).toBeCloseTo(expected.alpha, 14)
		}
	})

	test('handles 100k units x 3 observers', () => {
		const rng = createRng(3)
		const unitCount = 100_000
		const unitIndex = new Int32Array(unitCount * 3)
		const values = new Float64Array(unitCount * 3)
		const units: Int8Array[] = []
		for (let u = 0; u < unitCount; u++) {
			const truth = rng.nextInt(7) - 3
			const unit = new Int8Array(3)
			for (let o = 0; o < 3; o++) {
				const v = rng.nextFloat() < 0.7 ? truth : rng.nextInt(7) - 3
				unit[o] = v
				unitIndex[u * 3 + o] = u
				values[u * 3 + o] = v
			}
			units.push(unit)
		}
		const columnar = krippendorffAlphaColumnar({ unitIndex, values, level: 'ordinal' })
		const fromUnits = krippendorffAlphaFromUnits({ units, level: 'ordinal' })
		expect(columnar.units).toBe(unitCount)
		expect(columnar.pairableValues).toBe(unitCount * 3)
		expect(columnar.alpha).toBeGreaterThan(0.3)
		expect(columnar.alpha).toBeLessThan(1)
		expect(fromUnits.alpha).toBeCloseTo(columnar.alpha, 12)
	})
})
