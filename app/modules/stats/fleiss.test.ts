import { describe, expect, test } from 'vitest'
import examples from '#tests/fixtures/agreement-examples.json'
import { fleissKappa, fleissKappaFromCounts } from './fleiss.ts'

describe("Fleiss' kappa", () => {
	test('Wikipedia worked example from counts (printed to 10 decimals, compared to 1e-9)', () => {
		const { counts, kappa } = examples.fleiss_wikipedia
		expect(Math.abs(fleissKappaFromCounts({ counts }) - kappa)).toBeLessThan(1e-9)
	})

	test('Fleiss 1971 diagnoses from subjects x raters, as R irr kappam.fleiss (compared to 1e-9)', () => {
		const { data, kappa } = examples.fleiss_1971_diagnoses
		expect(Math.abs(fleissKappa({ ratings: data }) - kappa)).toBeLessThan(1e-9)
	})

	test('the counts and the ratings forms agree, whatever the category labels', () => {
		const ratings = examples.fleiss_1971_diagnoses.data.map((row) =>
			row.map((v) => ['a', 'b', 'c', 'd', 'e'][v - 1] as string),
		)
		expect(fleissKappa({ ratings })).toBeCloseTo(examples.fleiss_1971_diagnoses.kappa, 9)
	})

	test('perfect agreement gives 1', () => {
		expect(
			fleissKappa({
				ratings: [
					[1, 1, 1],
					[2, 2, 2],
					[3, 3, 3],
				],
			}),
		).toBe(1)
	})

	test('subjects with a missing rating are dropped, as na.omit in R irr', () => {
		const complete = [
			[1, 1, 2],
			[2, 2, 2],
			[3, 3, 1],
		]
		expect(fleissKappa({ ratings: [...complete, [1, null, 2]] })).toBe(fleissKappa({ ratings: complete }))
	})

	test('rejects rows with different numbers of ratings', () => {
		expect(() =>
			fleissKappaFromCounts({
				counts: [
					[1, 2],
					[2, 2],
				],
			}),
		).toThrow(/same number/)
	})
})
