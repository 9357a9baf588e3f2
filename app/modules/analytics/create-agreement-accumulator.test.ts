import { describe, expect, test } from 'vitest'
import { readAnalyticsItem, type AnalyticsItem, type AnalyticsProject } from './analytics-item.ts'
import type { AgreementFigure } from './analytics.types.ts'
import { createAgreementAccumulator } from './create-agreement-accumulator.ts'

const A = [['r1'], ['r2']]
const B = [['r2'], ['r1']]

function item(
	seq: number,
	rankings: string[][][],
	options: { isGold?: boolean; responses?: number; criteria?: Record<string, Record<string, number>>[] } = {},
): AnalyticsItem {
	return {
		itemId: `id-${seq}`,
		externalId: `item-${seq}`,
		seq,
		isGold: options.isGold ?? false,
		gold: null,
		responses: Array.from({ length: options.responses ?? 2 }, (_, i) => ({ key: `r${i + 1}`, model: null, length: 1 })),
		judgments: rankings.map((ranking, i) => ({
			userId: `u${i + 1}`,
			ranking,
			bothBad: false,
			strength: null,
			criteria: options.criteria?.[i] ?? null,
			activeMs: null,
			displayOrder: [],
		})),
		adjudication: null,
	}
}

function figures(project: AnalyticsProject, items: AnalyticsItem[]) {
	const agreement = createAgreementAccumulator({ project, seed: 7 })
	for (const entry of items)
		agreement.add(entry, entry.isGold ? null : readAnalyticsItem({ item: entry, taskType: project.taskType }))
	const snapshot = agreement.finish({ annotators: 2 })
	const byKey = (key: string) => snapshot.figures.find((figure) => figure.key === key) as AgreementFigure
	return { snapshot, byKey }
}

describe('createAgreementAccumulator', () => {
	const helpful = { name: 'helpful', min: 1, max: 5 }

	test('pairwise: choice and preference figures on two annotators who agree on four items of five', () => {
		const { snapshot, byKey } = figures({ taskType: 'pairwise', criteria: [helpful], randomizeOrder: true }, [
			item(1, [A, A], {
				criteria: [
					{ r1: { helpful: 5 }, r2: { helpful: 1 } },
					{ r1: { helpful: 5 }, r2: { helpful: 1 } },
				],
			}),
			item(2, [A, B]),
			item(3, [B, B]),
			item(4, [A, A]),
			item(5, [B, B]),
			item(6, [A]),
			item(7, [A, B], { isGold: true }),
		])
		expect(snapshot).toMatchObject({
			taskType: 'pairwise',
			judgments: 11,
			items: 6,
			goldJudgments: 2,
			annotators: 2,
			seed: 7,
			confidence: 0.95,
		})
		expect(snapshot.figures.map((figure) => figure.key)).toEqual([
			'choice-nominal',
			'choice-percent',
			'choice-fleiss',
			'preference-ordinal',
			'preference-interval',
			'criterion:helpful',
		])
		// Ten values, five of each; one disagreeing unit: alpha = 1 − 9·2 / (2·5·5).
		expect(byKey('choice-nominal').value).toBeCloseTo(0.64, 12)
		expect(byKey('choice-percent').value).toBeCloseTo(0.8, 12)
		// Mean agreement 0.8 against chance 0.5.
		expect(byKey('choice-fleiss').value).toBeCloseTo(0.6, 12)
		expect(byKey('choice-fleiss').note).toBe('On the 5 items with exactly 2 judgments each.')
		// Without strengths the preferences are ±1, so every level gives the nominal value.
		expect(byKey('preference-ordinal').value).toBeCloseTo(0.64, 12)
		expect(byKey('preference-interval').value).toBeCloseTo(0.64, 12)
		for (const key of ['choice-nominal', 'choice-percent', 'choice-fleiss', 'preference-interval']) {
			const figure = byKey(key)
			expect(figure, key).toMatchObject({ items: 5, units: 5, bootstrapRounds: 1000 })
			expect(figure.ciLow!, key).toBeLessThanOrEqual(figure.value!)
			expect(figure.ciHigh!, key).toBeGreaterThanOrEqual(figure.value!)
		}
		// One item rated: a value, but no interval from a single item.
		expect(byKey('criterion:helpful')).toMatchObject({
			value: 1,
			items: 1,
			units: 2,
			ciLow: null,
			ciHigh: null,
			bootstrapRounds: 0,
		})
		expect(byKey('criterion:helpful').on).toBe('criterion "helpful" (1–5) per response')
	})

	test("rankings: implied pairs and Kendall's W", () => {
		const abc = [['r1'], ['r2'], ['r3']]
		const cba = [['r3'], ['r2'], ['r1']]
		const { snapshot, byKey } = figures({ taskType: 'ranking', criteria: [helpful], randomizeOrder: false }, [
			item(1, [abc, abc], { responses: 3 }),
			item(2, [abc, cba], { responses: 3 }),
		])
		expect(snapshot).toMatchObject({ taskType: 'ranking', judgments: 4, items: 2, goldJudgments: 0 })
		expect(snapshot.figures.map((figure) => figure.key)).toEqual([
			'pairs-nominal',
			'pairs-ordinal',
			'pairs-percent',
			'pairs-fleiss',
			'kendall-w',
			'criterion:helpful',
		])
		// Item 1 agrees on its three pairs, item 2 on none.
		expect(byKey('pairs-percent')).toMatchObject({ value: 0.5, items: 2, units: 6 })
		// W is 1 for identical rankings and 0 for reversed ones.
		expect(byKey('kendall-w')).toMatchObject({ value: 0.5, items: 2, units: 2 })
		expect(byKey('criterion:helpful')).toMatchObject({ value: null, items: 0, units: 0 })
	})

	test('without two judgments on any item there is nothing to agree on', () => {
		const { snapshot, byKey } = figures({ taskType: 'pairwise', criteria: [], randomizeOrder: false }, [
			item(1, [A]),
			item(2, []),
		])
		expect(snapshot).toMatchObject({ judgments: 1, items: 1 })
		expect(byKey('choice-nominal')).toMatchObject({ value: null, items: 0, ciLow: null })
		expect(byKey('choice-fleiss')).toMatchObject({
			value: null,
			note: 'Needs items with the same number of judgments.',
		})
	})
})
