import { type TaskType } from '#app/generated/prisma/enums.ts'
import { describe, expect, test } from 'vitest'
import { readAnalyticsItem, type AnalyticsItem, type AnalyticsJudgment } from './analytics-item.ts'
import { createAnnotatorAccumulator } from './create-annotator-accumulator.ts'

const A = [['r1'], ['r2']]
const B = [['r2'], ['r1']]

type Judged = Pick<AnalyticsJudgment, 'userId' | 'ranking'> & Partial<AnalyticsJudgment>

function item(
	seq: number,
	judgments: Judged[],
	options: { lengths?: number[]; gold?: string[][] | null; isGold?: boolean } = {},
): AnalyticsItem {
	const lengths = options.lengths ?? [100, 10]
	return {
		itemId: `id-${seq}`,
		externalId: `item-${seq}`,
		seq,
		isGold: options.isGold ?? false,
		gold: options.gold ? { ranking: options.gold } : null,
		responses: lengths.map((length, i) => ({ key: `r${i + 1}`, model: null, length })),
		judgments: judgments.map((judgment) => ({
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

function accumulate(taskType: TaskType, items: AnalyticsItem[]) {
	const annotators = createAnnotatorAccumulator({ taskType, randomizeOrder: true })
	for (const entry of items) annotators.add(entry, entry.isGold ? null : readAnalyticsItem({ item: entry, taskType }))
	return annotators
}

describe('createAnnotatorAccumulator', () => {
	// u1 sees r1 on the left, u2 sees r2 on the left; r1 is the longer response. They agree on
	// items 1, 3, 4 and 5 and split on item 2. u3 judges alone, fast, on responses of equal length.
	const u1 = (ranking: string[][]) => ({ userId: 'u1', ranking, displayOrder: ['r1', 'r2'], activeMs: 5000 })
	const u2 = (ranking: string[][]) => ({ userId: 'u2', ranking, displayOrder: ['r2', 'r1'], activeMs: 8000 })
	const u3 = { userId: 'u3', ranking: A, displayOrder: ['r1', 'r2'], activeMs: 500 }
	const items = [
		item(1, [u1(A), u2(A)]),
		item(2, [u1(A), u2(B)]),
		item(3, [u1(B), u2(B)]),
		item(4, [u1(A), u2(A)]),
		item(5, [u1(B), u2(B)]),
		...[6, 7, 8, 9, 10].map((seq) => item(seq, [u3], { lengths: [50, 50] })),
		item(11, [u1(A), u2(B)], { isGold: true, gold: A, lengths: [50, 50] }),
		item(12, [u1(A), u2(B)], { isGold: true, gold: null, lengths: [50, 50] }),
	]

	test('per-annotator behaviour, leave-one-out agreement, gold accuracy and flags', () => {
		const annotators = accumulate('pairwise', items)
		expect(annotators.ids()).toEqual(['u1', 'u2', 'u3'])
		expect(annotators.size).toBe(3)
		const snapshot = annotators.finish({
			names: new Map([
				['u1', 'Ann'],
				['u2', 'Bob'],
			]),
		})
		const [ann, bob, unknown] = snapshot.annotators
		expect(ann).toMatchObject({
			userId: 'u1',
			displayName: 'Ann',
			judgments: 7,
			looAgreement: 4 / 5,
			looItems: 5,
			goldAccuracy: 1,
			goldJudgments: 1,
		})
		expect(bob).toMatchObject({
			userId: 'u2',
			displayName: 'Bob',
			judgments: 7,
			looAgreement: 4 / 5,
			looItems: 5,
			goldAccuracy: 0,
			goldJudgments: 1,
		})
		expect(unknown).toMatchObject({
			userId: 'u3',
			displayName: 'Unknown user',
			judgments: 5,
			looAgreement: null,
			looItems: 0,
			goldAccuracy: null,
		})
		// Both chose the response on their left in 5 of their 7 strict choices (gold items count too).
		expect(ann).toMatchObject({ positionTrials: 7, positionRate: 5 / 7, positionExpected: 0.5 })
		expect(bob).toMatchObject({ positionTrials: 7, positionRate: 5 / 7, positionExpected: 0.5 })
		// Only items 1–5 have responses of different lengths: u1 chose the longer 3 times, u2 twice.
		expect(ann).toMatchObject({ lengthTrials: 5, lengthRate: 3 / 5 })
		expect(bob).toMatchObject({ lengthTrials: 5, lengthRate: 2 / 5 })
		expect(unknown).toMatchObject({ lengthTrials: 0, lengthRate: null, lengthP: null })
		expect(snapshot.projectLengthRate).toBe(0.5)
		// 5 × 500, 7 × 5000 and 7 × 8000 ms: the median is the tenth, 5000.
		expect(snapshot.projectMedianActiveMs).toBe(5000)
		expect(ann).toMatchObject({ medianActiveMs: 5000, timedJudgments: 7, flags: [] })
		expect(unknown).toMatchObject({ medianActiveMs: 500, timedJudgments: 5, flags: ['fast'] })
		expect(snapshot).toMatchObject({ randomizedOrder: true, thresholds: { minSharedItems: 5 } })
	})

	test("Cohen's kappa for pairs with enough shared items", () => {
		const snapshot = accumulate('pairwise', items).finish({ names: new Map() })
		// Agreement 4/5; u1 chose A 3 times, u2 twice: chance 3/5·2/5 + 2/5·3/5 = 12/25, kappa (20 − 12)/(25 − 12).
		// Without strengths the signed preferences are ±1, two categories, so the weights change nothing.
		expect(snapshot.pairs).toHaveLength(1)
		const [pair] = snapshot.pairs
		expect(pair).toMatchObject({ a: 'u1', b: 'u2', sharedItems: 5 })
		expect(pair!.kappa).toBeCloseTo(8 / 13, 12)
		expect(pair!.kappaLinear).toBeCloseTo(8 / 13, 12)
		expect(pair!.kappaQuadratic).toBeCloseTo(8 / 13, 12)
		expect(accumulate('pairwise', items.slice(1)).finish({ names: new Map() }).pairs).toEqual([])
	})

	test('rankings: kappa on implied pairs, and a contrarian agrees with no one', () => {
		const abc = [['r1'], ['r2'], ['r3']]
		const cba = [['r3'], ['r2'], ['r1']]
		// Three annotators rank alike, half the items one way and half the other; u4 always the reverse.
		const ranked = [1, 2, 3, 4, 5, 6].map((seq) => {
			const [majority, contrarian] = seq % 2 ? [abc, cba] : [cba, abc]
			const judgments = ['u1', 'u2', 'u3'].map((userId) => ({ userId, ranking: majority }))
			return item(seq, [...judgments, { userId: 'u4', ranking: contrarian }], { lengths: [30, 20, 10] })
		})
		const snapshot = accumulate('ranking', ranked).finish({ names: new Map() })
		const byId = new Map(snapshot.annotators.map((row) => [row.userId, row]))
		expect(byId.get('u1')).toMatchObject({
			judgments: 6,
			looAgreement: 1,
			looItems: 6,
			lengthTrials: 18,
			lengthRate: 0.5,
		})
		expect(byId.get('u4')).toMatchObject({ judgments: 6, looAgreement: 0, looItems: 6 })
		expect(snapshot.pairs).toHaveLength(6)
		for (const pair of snapshot.pairs) {
			expect(pair).toMatchObject({ sharedItems: 6, kappaLinear: null, kappaQuadratic: null })
			// Each marginal is half better, half worse; the contrarian's table is all off the diagonal.
			expect(pair.kappa).toBeCloseTo(pair.b === 'u4' ? -1 : 1, 12)
		}
	})
})
