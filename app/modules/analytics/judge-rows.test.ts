import { describe, expect, test } from 'vitest'
import type { AnalyticsItem, AnalyticsJudgment } from './analytics-item.ts'
import { createAnalyticsAccumulator, poolOf } from './create-analytics-accumulator.ts'

const project = { taskType: 'pairwise' as const, criteria: [], randomizeOrder: false }

function judgment(userId: string, best: 'r1' | 'r2', extra: Partial<AnalyticsJudgment> = {}): AnalyticsJudgment {
	return {
		userId,
		ranking: best === 'r1' ? [['r1'], ['r2']] : [['r2'], ['r1']],
		bothBad: false,
		strength: null,
		criteria: null,
		activeMs: 8000,
		displayOrder: ['r1', 'r2'],
		...extra,
	}
}

/** A judge that always picks r2 (the longer), in both orders. */
const judge = (best: 'r1' | 'r2' = 'r2'): AnalyticsJudgment =>
	judgment('judge', best, {
		source: 'model',
		activeMs: null,
		positionInconsistent: false,
		calls: [
			{ displayOrder: ['r1', 'r2'], ranking: best === 'r1' ? [['r1'], ['r2']] : [['r2'], ['r1']] },
			{ displayOrder: ['r2', 'r1'], ranking: best === 'r1' ? [['r1'], ['r2']] : [['r2'], ['r1']] },
		],
	})

function item(seq: number, judgments: AnalyticsJudgment[]): AnalyticsItem {
	return {
		itemId: `id-${seq}`,
		externalId: `item-${seq}`,
		seq,
		isGold: false,
		gold: null,
		responses: [
			{ key: 'r1', model: 'a', length: 10 },
			{ key: 'r2', model: 'b', length: 100 },
		],
		judgments,
		adjudication: null,
	}
}

// People split evenly between the shorter and the longer response, and agree with each other.
const items = Array.from({ length: 12 }, (_, i) => {
	const best = i % 2 === 0 ? 'r1' : 'r2'
	return item(i + 1, [judgment('u1', best), judgment('u2', best), judge()])
})

function run(includeModel: boolean) {
	const accumulator = createAnalyticsAccumulator({ project, includeModel })
	for (const entry of items) accumulator.addItem(entry)
	return accumulator.finish({ names: new Map([['judge', 'Judge']]), now: new Date(0) })
}

describe('AI judges in the analytics accumulator', () => {
	test('outside the pool a judge has its row but moves no human figure', () => {
		const counted = run(false)
		const without = createAnalyticsAccumulator({ project })
		for (const entry of items) without.addItem(poolOf({ item: entry, includeModel: false }))
		const people = without.finish({ names: new Map(), now: new Date(0) })
		expect(counted.agreement).toEqual(people.agreement)
		expect(counted.leaderboard).toEqual(people.leaderboard)
		expect(counted['review-queue']).toEqual(people['review-queue'])
		expect(counted.annotators.pairs).toEqual(people.annotators.pairs)
		expect(counted.annotators.projectLengthRate).toBe(0.5)

		const row = counted.annotators.annotators.find((entry) => entry.userId === 'judge')!
		expect(row).toMatchObject({ kind: 'model', displayName: 'Judge', lengthRate: 1, positionTrials: 24 })
		// Tested against people's rate (1/2), and for position although people's order is not randomized.
		expect(row.flags).toEqual(['length-bias'])
		expect(row.medianActiveMs).toBeNull()
		expect(row.humanConsensus).toMatchObject({ items: 12, percent: 0.5 })
		expect(counted.annotators.annotators.filter((entry) => entry.kind === 'human')).toHaveLength(2)
	})

	test('counted, the judge joins the pool: agreement, pairs and the length baseline include it', () => {
		const counted = run(true)
		expect(counted.agreement.annotators).toBe(3)
		expect(counted.agreement.judgments).toBe(36)
		expect(counted.annotators.pairs.some((pair) => pair.a === 'judge' || pair.b === 'judge')).toBe(true)
		expect(counted.annotators.projectLengthRate).toBeCloseTo(24 / 36, 10)
		const row = counted.annotators.annotators.find((entry) => entry.userId === 'judge')!
		// Still compared with people alone.
		expect(row.humanConsensus).toMatchObject({ items: 12, percent: 0.5 })
	})
})
