import { describe, expect, test } from 'vitest'
import { CHOICE, readAnalyticsItem, type AnalyticsItem } from './analytics-item.ts'

function item(
	responses: number,
	judgments: { ranking: string[][]; bothBad?: boolean; strength?: number | null }[],
): AnalyticsItem {
	return {
		itemId: 'i',
		externalId: 'i',
		seq: 1,
		isGold: false,
		gold: null,
		responses: Array.from({ length: responses }, (_, i) => ({ key: `r${i + 1}`, model: null, length: 1 })),
		judgments: judgments.map((judgment, i) => ({
			userId: `u${i}`,
			bothBad: false,
			strength: null,
			criteria: null,
			activeMs: null,
			displayOrder: [],
			...judgment,
		})),
		adjudication: null,
	}
}

describe('readAnalyticsItem', () => {
	test('pairwise: choices, signed preferences, disagreement and leave-one-out agreement', () => {
		const A = [['r1'], ['r2']]
		const reading = readAnalyticsItem({
			taskType: 'pairwise',
			item: item(2, [
				{ ranking: A, strength: 3 },
				{ ranking: A, strength: 1 },
				{ ranking: A },
				{ ranking: [['r2'], ['r1']], strength: 2 },
				{ ranking: [['r1', 'r2']], bothBad: true },
			]),
		})
		expect(reading.codes).toEqual([CHOICE.first, CHOICE.first, CHOICE.first, CHOICE.second, CHOICE.bothBad])
		// A missing strength counts as slight (1); both-bad is 0.
		expect(reading.signed).toEqual([3, 1, 1, -2, 0])
		expect(reading.implied).toBeNull()
		// Three of five votes match the majority (r1).
		expect(reading.disagreement).toBeCloseTo(0.4, 12)
		// Each of the others' majorities is r1, which the last two did not choose.
		expect(reading.leaveOneOut).toEqual([1, 1, 1, 0, 0])
		expect(reading.votes[0]).toEqual({ userId: 'u0', ranking: A, bothBad: false, strength: 3 })
		expect(reading.votes[4]).toEqual({ userId: 'u4', ranking: [['r1', 'r2']], bothBad: true, strength: null })
	})

	test('pairwise with one judgment: codes, but nothing to agree with', () => {
		const reading = readAnalyticsItem({ taskType: 'pairwise', item: item(2, [{ ranking: [['r2'], ['r1']] }]) })
		expect(reading).toMatchObject({ codes: [CHOICE.second], signed: null, leaveOneOut: null })
	})

	test('rankings: implied pairs per judgment and agreement with the consensus of the others', () => {
		const abc = [['r1'], ['r2'], ['r3']]
		const reading = readAnalyticsItem({
			taskType: 'ranking',
			item: item(3, [{ ranking: abc }, { ranking: abc }, { ranking: abc }, { ranking: [['r3'], ['r2'], ['r1']] }]),
		})
		expect(reading.codes).toBeNull()
		expect(
			reading.implied!.map((pairs) =>
				Object.fromEntries([...pairs].map(([key, value]) => [key.replace('\u0000', '-'), value])),
			),
		).toEqual([
			{ 'r1-r2': -1, 'r1-r3': -1, 'r2-r3': -1 },
			{ 'r1-r2': -1, 'r1-r3': -1, 'r2-r3': -1 },
			{ 'r1-r2': -1, 'r1-r3': -1, 'r2-r3': -1 },
			{ 'r1-r2': 1, 'r1-r3': 1, 'r2-r3': 1 },
		])
		// The consensus is abc: 9 of the 12 implied pairs match it.
		expect(reading.disagreement).toBeCloseTo(0.25, 12)
		// Everyone's left-out consensus is abc, which the contrarian reverses on every pair.
		expect(reading.leaveOneOut).toEqual([1, 1, 1, 0])
	})
})
