import { describe, expect, test } from 'vitest'
import examples from '#tests/fixtures/agreement-examples.json'
import { percentAgreement, percentAgreementFromUnits } from './percent-agreement.ts'

describe('percent agreement', () => {
	for (const [i, c] of examples.cohen_tables.cases.entries()) {
		test(`two raters: the diagonal share of cohen_tables case ${i + 1}`, () => {
			const rows: [number[], number[]] = [[], []]
			c.table.forEach((row, r) =>
				row.forEach((count, k) => {
					for (let t = 0; t < count; t++) {
						rows[0].push(r)
						rows[1].push(k)
					}
				}),
			)
			const result = percentAgreement({ data: rows })
			expect(result.agreement).toBeCloseTo(c.percent_agreement, 12)
			expect(result.units).toBe(rows[0].length)
		})
	}

	test('pools agreeing pairs over all pairable pairs within units', () => {
		// unit 1: a a b -> 2 agreeing of 6 ordered pairs; unit 2: c c -> 2 of 2; unit 3: one value, dropped
		const result = percentAgreement({
			data: [
				['a', 'c', 'x'],
				['a', 'c', null],
				['b', null, null],
			],
		})
		expect(result.agreement).toBeCloseTo(4 / 8, 14)
		expect(result.units).toBe(2)
		expect(result.pairs).toBe(8)
	})

	test('from unit lists equals the matrix form', () => {
		expect(percentAgreementFromUnits({ units: [['a', 'a', 'b'], ['c', 'c'], ['x']] }).agreement).toBeCloseTo(0.5, 14)
	})

	test('undefined (NaN) when no unit has two values', () => {
		expect(
			percentAgreement({
				data: [
					[1, null],
					[null, 2],
				],
			}).agreement,
		).toBeNaN()
	})
})
