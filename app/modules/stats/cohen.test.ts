import { describe, expect, test } from 'vitest'
import examples from '#tests/fixtures/agreement-examples.json'
import { cohenKappa, cohenKappaFromTable, contingencyTable } from './cohen.ts'

/** Expands a contingency table into two rating vectors over categories 1..k. */
function vectorsFromTable(table: readonly (readonly number[])[]): { a: number[]; b: number[] } {
	const a: number[] = []
	const b: number[] = []
	table.forEach((row, i) =>
		row.forEach((count, j) => {
			for (let t = 0; t < count; t++) {
				a.push(i + 1)
				b.push(j + 1)
			}
		}),
	)
	return { a, b }
}

describe("Cohen's kappa, Artstein & Poesio tables as asserted by scikit-learn (compared to 1e-9)", () => {
	for (const [i, c] of examples.cohen_tables.cases.entries()) {
		test(`case ${i + 1}: unweighted, from the table and from rating vectors`, () => {
			expect(Math.abs(cohenKappaFromTable({ table: c.table }) - c.kappa)).toBeLessThan(1e-9)
			const { a, b } = vectorsFromTable(c.table)
			expect(Math.abs(cohenKappa({ a, b }) - c.kappa)).toBeLessThan(1e-9)
		})
		if (c.linear !== undefined && c.quadratic !== undefined) {
			const { linear, quadratic } = c
			test(`case ${i + 1}: linear and quadratic weights`, () => {
				const { a, b } = vectorsFromTable(c.table)
				expect(Math.abs(cohenKappaFromTable({ table: c.table, weights: 'linear' }) - linear)).toBeLessThan(1e-9)
				expect(Math.abs(cohenKappaFromTable({ table: c.table, weights: 'quadratic' }) - quadratic)).toBeLessThan(1e-9)
				expect(Math.abs(cohenKappa({ a, b, weights: 'linear' }) - linear)).toBeLessThan(1e-9)
				expect(Math.abs(cohenKappa({ a, b, weights: 'quadratic' }) - quadratic)).toBeLessThan(1e-9)
			})
		}
	}
})

describe('categories', () => {
	test('weights use the rank of the values present, not the values themselves', () => {
		const c = examples.cohen_tables.cases[2] as { table: number[][]; linear: number; quadratic: number }
		const { a, b } = vectorsFromTable(c.table)
		const spread = (v: number) => [0, 10, 11, 50][v] as number
		for (const weights of ['linear', 'quadratic'] as const) {
			expect(cohenKappa({ a: a.map(spread), b: b.map(spread), weights })).toBeCloseTo(cohenKappa({ a, b, weights }), 14)
		}
	})

	test('units with a missing rating are dropped', () => {
		const { categories, table, units } = contingencyTable({ a: [1, 2, null, 3], b: [1, 2, 2, undefined] })
		expect(categories).toEqual([1, 2])
		expect(table).toEqual([
			[1, 0],
			[0, 1],
		])
		expect(units).toBe(2)
		expect(cohenKappa({ a: [1, 2, null, 2], b: [1, 2, 1, null] })).toBe(1)
	})

	test('categories are sorted numerically, not as text', () => {
		expect(contingencyTable({ a: [10, 9, 2], b: [2, 10, 9] }).categories).toEqual([2, 9, 10])
	})

	test('string labels work unweighted', () => {
		expect(cohenKappa({ a: ['x', 'y', 'x', 'y'], b: ['x', 'y', 'x', 'x'] })).toBeCloseTo(0.5, 12)
	})

	test('is undefined (NaN) when both raters use one and the same category', () => {
		expect(cohenKappa({ a: [1, 1, 1], b: [1, 1, 1] })).toBeNaN()
	})
})
