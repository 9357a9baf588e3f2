import { describe, expect, test } from 'vitest'
import {
	kendallW,
	kendallWFromRankings,
	midranks,
	rankingImpliedPairs,
	rankingPairAgreement,
	rankingPairUnits,
	type Ranking,
} from './rankings.ts'

/** R irr's `anxiety` data: 20 subjects rated by 3 raters (subjects x raters). */
const ANXIETY = [
	[3, 3, 2],
	[3, 6, 1],
	[3, 4, 4],
	[4, 6, 4],
	[5, 2, 3],
	[5, 4, 2],
	[2, 2, 1],
	[3, 4, 6],
	[5, 3, 1],
	[2, 3, 1],
	[2, 2, 1],
	[6, 3, 2],
	[1, 3, 3],
	[5, 3, 3],
	[2, 2, 1],
	[2, 2, 1],
	[1, 1, 3],
	[2, 3, 3],
	[4, 3, 2],
	[3, 4, 2],
]
const byRater = [0, 1, 2].map((r) => ANXIETY.map((row) => row[r] as number))

describe("Kendall's W", () => {
	test('R irr kendall(anxiety, correct = TRUE): Wt = 0.54 and chi-squared 30.8 (printed to 2 and 1 decimals)', () => {
		const w = kendallW({ scores: byRater })
		expect(w).toBeCloseTo(0.54, 2)
		expect(3 * (20 - 1) * w).toBeCloseTo(30.8, 1)
	})

	test('without the tie correction W is smaller on tied data', () => {
		expect(kendallW({ scores: byRater, correctTies: false })).toBeLessThan(kendallW({ scores: byRater }))
	})

	test('hand-computed example with ties', () => {
		// ranks: rater 1: 1, 2.5, 2.5, 4 (T = 6); rater 2: 1, 2, 3, 4; R = 2, 4.5, 5.5, 8, mean 5
		// S = 9 + 0.25 + 0.25 + 9 = 18.5; W = 12 * 18.5 / (4 * 60 - 2 * 6) = 222 / 228
		expect(
			kendallW({
				scores: [
					[1, 2, 2, 3],
					[1, 2, 3, 4],
				],
			}),
		).toBeCloseTo(222 / 228, 14)
	})

	test('complete agreement gives 1, two opposite rankers give 0', () => {
		expect(
			kendallW({
				scores: [
					[1, 2, 3, 4],
					[10, 20, 30, 40],
					[1, 2, 3, 4],
				],
			}),
		).toBeCloseTo(1, 14)
		expect(
			kendallW({
				scores: [
					[1, 2, 3],
					[3, 2, 1],
				],
			}),
		).toBeCloseTo(0, 14)
	})

	test('from tiered rankings, best first', () => {
		const rankings: Ranking[] = [
			[['a'], ['b', 'c'], ['d']],
			[['a'], ['b'], ['c'], ['d']],
		]
		expect(kendallWFromRankings({ rankings })).toBeCloseTo(222 / 228, 14)
		expect(() =>
			kendallWFromRankings({
				rankings: [
					[['a'], ['b']],
					[['a'], ['c']],
				],
			}),
		).toThrow(/same ids/)
	})

	test('midranks', () => {
		expect(Array.from(midranks([10, 30, 20, 20]).ranks)).toEqual([1, 4, 2.5, 2.5])
		expect(midranks([10, 30, 20, 20]).tieCorrection).toBe(6)
	})
})

describe('pairs implied by rankings', () => {
	test('one entry per unordered pair, first < second, -1 when first is preferred', () => {
		expect(rankingImpliedPairs([['r2'], ['r1', 'r3']])).toEqual([
			{ first: 'r1', second: 'r2', value: 1 },
			{ first: 'r1', second: 'r3', value: 0 },
			{ first: 'r2', second: 'r3', value: -1 },
		])
	})

	test('rejects an id ranked twice', () => {
		expect(() => rankingImpliedPairs([['a'], ['a', 'b']])).toThrow(/twice/)
	})

	test('units per item and pair, skipping annotators who did not rank both ids', () => {
		const units = rankingPairUnits({
			rankings: [
				[
					[['a'], ['b'], ['c']],
					[['b'], ['a']],
				],
			],
		})
		expect(units).toEqual([
			{ item: 0, first: 'a', second: 'b', values: [-1, 1] },
			{ item: 0, first: 'a', second: 'c', values: [-1] },
			{ item: 0, first: 'b', second: 'c', values: [-1] },
		])
	})

	test('alpha and percent agreement over implied pairs', () => {
		const same: Ranking = [['x'], ['y', 'z']]
		const perfect = rankingPairAgreement({
			rankings: [
				[same, same, same],
				[
					[['y'], ['x'], ['z']],
					[['y'], ['x'], ['z']],
				],
			],
		})
		expect(perfect.alpha).toBe(1)
		expect(perfect.percentAgreement).toBe(1)
		expect(perfect.units).toBe(6)

		const mixed = rankingPairAgreement({
			rankings: [
				[
					[['a'], ['b'], ['c']],
					[['a'], ['c'], ['b']],
				],
				[
					[['a'], ['b'], ['c']],
					[['b'], ['a', 'c']],
				],
			],
		})
		// pair values per unit: (-1,-1) (-1,-1) (-1,1) | (-1,1) (-1,0) (-1,-1): 3 of 6 units agree
		expect(mixed.percentAgreement).toBeCloseTo(0.5, 14)
		expect(mixed.units).toBe(6)
		expect(mixed.alpha).toBeLessThan(1)
		const ordinal = rankingPairAgreement({ rankings: [[[['a'], ['b']], [['a', 'b']]]], level: 'ordinal' })
		expect(ordinal.units).toBe(1)
	})
})
