import { describe, expect, test } from 'vitest'
import { CHOICE, type AnalyticsItem } from './analytics-item.ts'
import { createBattleAccumulator } from './create-battle-accumulator.ts'

/** An item whose responses r1, r2, … come from these models, with one judgment per ranking. */
function item(models: (string | null)[], rankings: string[][][] = []): AnalyticsItem {
	return {
		itemId: 'i',
		externalId: 'i',
		seq: 1,
		isGold: false,
		gold: null,
		responses: models.map((model, i) => ({ key: `r${i + 1}`, model, length: 10 })),
		judgments: rankings.map((ranking, i) => ({
			userId: `u${i}`,
			ranking,
			bothBad: false,
			strength: null,
			criteria: null,
			activeMs: null,
			displayOrder: [],
		})),
		adjudication: null,
	}
}

describe('createBattleAccumulator', () => {
	test('pairwise: one battle per judgment, tallied per model pair in name order', () => {
		const battles = createBattleAccumulator({ taskType: 'pairwise', seed: 1 })
		const codes = [CHOICE.first, CHOICE.second, CHOICE.first, CHOICE.bothBad, CHOICE.tie]
		battles.add(
			item(
				['m1', 'm2'],
				codes.map(() => []),
			),
			codes,
		)
		// Stored the other way round: the first response is m2's, so a first-preferred is a win for m2.
		battles.add(item(['m2', 'm1'], [[]]), [CHOICE.first])
		const result = battles.finish()
		expect(result.battles).toBe(6)
		expect(result.skippedJudgments).toBe(0)
		expect(result.pairs).toEqual([{ modelA: 'm1', modelB: 'm2', aWins: 2, bWins: 2, ties: 1, bothBad: 1, battles: 6 }])
		expect(result.winRates.models).toEqual(['m1', 'm2'])
		expect(result.winRates.matrix[0]![1]).toBeCloseTo(0.5)
		expect(result.rows.map((row) => row.model).sort()).toEqual(['m1', 'm2'])
		expect(result.rows.reduce((sum, row) => sum + row.battles, 0)).toBe(12)
		expect(result).toMatchObject({ bootstrapRounds: 100, seed: 1 })
	})

	test('pairwise: a judgment between one model, or a response without a model, gives no battle', () => {
		const battles = createBattleAccumulator({ taskType: 'pairwise' })
		battles.add(item(['m1', 'm1'], [[], []]), [CHOICE.first, CHOICE.second])
		battles.add(item(['m1', null], [[]]), [CHOICE.first])
		const result = battles.finish()
		expect(result).toMatchObject({
			battles: 0,
			skippedJudgments: 3,
			rows: [],
			pairs: [],
			winRates: { models: [], matrix: [] },
		})
	})

	test('rankings: one battle per implied pair of different models', () => {
		const battles = createBattleAccumulator({ taskType: 'ranking' })
		// r2 (m2) above r1 and r3 (both m1): two battles won by m2; r1 against r3 is m1 against itself.
		battles.add(
			item(
				['m1', 'm2', 'm1'],
				[
					[['r2'], ['r1', 'r3']],
					[['r2'], ['r3'], ['r1']],
				],
			),
			null,
		)
		// A tie between two models, and a judgment that only ranks responses of one model.
		battles.add(
			item(
				['m1', 'm2', 'm2'],
				[
					[['r1', 'r2'], ['r3']],
					[['r2'], ['r3']],
				],
			),
			null,
		)
		const result = battles.finish()
		// First item: 2 + 2 battles; second: m1-m2 tie (r1, r2) and m1 over m2 (r1 over r3), then none.
		expect(result.battles).toBe(6)
		expect(result.skippedJudgments).toBe(1)
		expect(result.pairs).toEqual([{ modelA: 'm1', modelB: 'm2', aWins: 1, bWins: 4, ties: 1, bothBad: 0, battles: 6 }])
		expect(result.rows[0]).toMatchObject({ model: 'm2', rank: 1, battles: 6 })
		expect(result.rows[0]!.rating).toBeGreaterThan(result.rows[1]!.rating)
		// A tie counts half a win for each side: (4 + 0.5) / 6.
		expect(result.winRates.matrix[1]![0]).toBeCloseTo(0.75)
	})
})
