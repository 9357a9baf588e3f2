import { describe, expect, test } from 'vitest'
import { readAnalyticsItem, type AnalyticsItem } from './analytics-item.ts'
import { createReviewQueueAccumulator } from './create-review-queue-accumulator.ts'

const A = [['r1'], ['r2']]
const B = [['r2'], ['r1']]

function item(seq: number, rankings: string[][][], adjudicatedAt?: string): AnalyticsItem {
	return {
		itemId: `id-${seq}`,
		externalId: `item-${seq}`,
		seq,
		isGold: false,
		gold: null,
		responses: [
			{ key: 'r1', model: null, length: 1 },
			{ key: 'r2', model: null, length: 1 },
		],
		judgments: rankings.map((ranking, i) => ({
			userId: `u${i}`,
			ranking,
			bothBad: false,
			strength: null,
			criteria: null,
			activeMs: null,
			displayOrder: [],
		})),
		adjudication: adjudicatedAt ? { ranking: A, bothBad: false, strength: null, createdAt: adjudicatedAt } : null,
	}
}

function queueOf(items: AnalyticsItem[], limits = { open: 2, adjudicated: 1 }) {
	const queue = createReviewQueueAccumulator({ limits })
	for (const entry of items) {
		const reading = readAnalyticsItem({ item: entry, taskType: 'pairwise' })
		queue.add(entry, reading.votes, reading.disagreement)
	}
	return queue.finish({ now: new Date('2026-03-01T00:00:00Z') })
}

describe('createReviewQueueAccumulator', () => {
	test('counts every disputed item and keeps the most disputed open ones, then the latest adjudicated', () => {
		const result = queueOf([
			item(1, [A, A, B]), // disagreement 1/3
			item(2, [A, A, A, B]), // 1/4
			item(3, [A, B]), // 1 (a split vote is a tie no one chose)
			item(4, [A, A, B, B]), // 1, with more votes than item 3
			item(5, [A, A]), // everyone agrees: not disputed
			item(6, [B]), // a single vote: not disputed
			item(7, [A, B], '2026-01-01T00:00:00.000Z'),
			item(8, [A, A, B], '2026-02-01T00:00:00.000Z'),
		])
		expect(result.openCount).toBe(4)
		expect(result.adjudicatedCount).toBe(2)
		expect(result.limits).toEqual({ open: 2, adjudicated: 1 })
		expect(result.updatedAt).toBe('2026-03-01T00:00:00.000Z')
		expect(result.items.map((entry) => [entry.externalId, entry.disagreement, entry.votes, entry.adjudicated])).toEqual(
			[
				['item-4', 1, 4, false],
				['item-3', 1, 2, false],
				['item-8', expect.closeTo(1 / 3), 3, true],
			],
		)
		expect(result.items[1]!.answers).toEqual([
			{ ranking: A, bothBad: false, count: 1 },
			{ ranking: B, bothBad: false, count: 1 },
		])
		expect(result.items[1]!.consensus).toEqual({
			ranking: [['r1', 'r2']],
			bothBad: false,
			strength: null,
			agreement: 0,
		})
		// The adjudication is the consensus; two of the three votes match it.
		expect(result.items[2]!.consensus.ranking).toEqual(A)
		expect(result.items[2]!.consensus.agreement).toBeCloseTo(2 / 3)
		expect(result.items[2]!.adjudicatedAt).toBe('2026-02-01T00:00:00.000Z')
	})

	test('cutting the lists back while streaming keeps the same items as keeping them all', () => {
		const items = Array.from({ length: 40 }, (_, i) =>
			item(i + 1, i % 3 === 0 ? [A, B] : i % 3 === 1 ? [A, A, B] : [A, A, A, B]),
		)
		const bounded = queueOf(items, { open: 3, adjudicated: 1 })
		const unbounded = queueOf(items, { open: 1000, adjudicated: 1000 })
		expect(bounded.openCount).toBe(40)
		expect(bounded.items.map((entry) => entry.seq)).toEqual([1, 4, 7])
		expect(unbounded.items.slice(0, 3).map((entry) => entry.seq)).toEqual([1, 4, 7])
		expect(unbounded.items).toHaveLength(40)
	})

	test('an empty project has an empty queue', () => {
		expect(queueOf([])).toMatchObject({ openCount: 0, adjudicatedCount: 0, items: [] })
	})
})
