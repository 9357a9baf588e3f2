import { describe, expect, test } from 'vitest'
import { createRng } from '#app/modules/stats/prng.ts'
import { itemNumber, judgeAll, prefer } from '#tests/factories/analytics.ts'
import { addItems, makeItems, makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { LeaderboardSnapshot } from './analytics.types.ts'
import { describeCoefficient } from './describe-coefficient.ts'
import { createLeaderboardExtrasCollector, type ExtrasItem } from './leaderboard-extras.ts'
import { refreshProjectAnalytics } from './refresh-project-analytics.server.ts'

const style = (tokens: number) => ({ tokens, headers: 0, lists: tokens % 3, bold: 0 })

describe('leaderboard extras', () => {
	test('style and position control find planted effects, and categories grey out sparse values', () => {
		const rng = createRng(4)
		const strength: Record<string, number> = { alpha: 0.6, beta: 0, gamma: -0.6 }
		const models = Object.keys(strength)
		const collector = createLeaderboardExtrasCollector({ pairwise: true, seed: 1, criteria: ['accuracy'] })
		for (let i = 0; i < 1500; i++) {
			const ma = models[rng.nextInt(3)] as string
			const mb = models.filter((m) => m !== ma)[rng.nextInt(2)] as string
			const la = 50 + rng.nextInt(500)
			const lb = 50 + rng.nextInt(500)
			const shownFirst = rng.nextFloat() < 0.5 ? 'r1' : 'r2'
			const logit =
				(strength[ma] as number) -
				(strength[mb] as number) +
				2 * ((la - lb) / (la + lb + 1)) +
				(shownFirst === 'r1' ? 0.4 : -0.4)
			const aWins = rng.nextFloat() < 1 / (1 + Math.exp(-logit))
			const item: ExtrasItem = {
				isGold: false,
				metadata: { category: i % 10 === 0 ? 'rare' : 'common', id: `unique-${i}` },
				responses: [
					{ key: 'r1', model: ma, style: style(la) },
					{ key: 'r2', model: mb, style: style(lb) },
				],
				judgments: [
					{
						ranking: aWins ? [['r1'], ['r2']] : [['r2'], ['r1']],
						bothBad: false,
						displayOrder: shownFirst === 'r1' ? ['r1', 'r2'] : ['r2', 'r1'],
						criteria: { r1: { accuracy: aWins ? 5 : 2 }, r2: { accuracy: 3 } },
					},
				],
			}
			collector.addItem(item)
		}
		collector.addItem({ isGold: true, metadata: null, responses: [], judgments: [] })
		expect(collector.battles()).toBe(1500)
		const { controls, categories } = collector.finish()
		const both = controls['style-position']!
		expect(both.coefficients.map((c) => c.feature)).toEqual(['length', 'headers', 'lists', 'bold', 'position'])
		const length = both.coefficients[0]!
		expect(length.eloLow!).toBeGreaterThan(0)
		expect(length.description).toMatch(
			/^longer answers win more often: \+\d+\.\d Elo per standard deviation of length \(tokens\), 95% interval \+/,
		)
		expect(both.coefficients[1]!.elo).toBeNull()
		expect(both.coefficients[4]!.eloLow!).toBeGreaterThan(0)
		expect(both.rows.map((row) => row.model)).toEqual(['alpha', 'beta', 'gamma'])
		expect(controls.style!.coefficients.map((c) => c.feature)).toEqual(['length', 'headers', 'lists', 'bold'])
		expect(controls.position!.coefficients.map((c) => c.feature)).toEqual(['position'])

		// `id` has too many values to be a category; `category` has two, one of them sparse.
		const category = categories.find((board) => board.key === 'metadata.category')!
		expect(categories.some((board) => board.key === 'metadata.id')).toBe(false)
		expect(category.values.map((v) => [v.value, v.battles, v.sparse])).toEqual([
			['common', 1350, false],
			['rare', 150, false],
		])
		const criterion = categories.find((board) => board.key === 'criterion.accuracy')!
		expect(criterion.values[0]!.battles).toBe(1500)
	})

	test('too few battles give no controlled fit', () => {
		const collector = createLeaderboardExtrasCollector({ pairwise: true, seed: 1, criteria: [] })
		collector.addItem({
			isGold: false,
			metadata: null,
			responses: [
				{ key: 'r1', model: 'x', style: style(3) },
				{ key: 'r2', model: 'y', style: style(5) },
			],
			judgments: [{ ranking: [['r1'], ['r2']], bothBad: false, displayOrder: ['r1', 'r2'], criteria: null }],
		})
		expect(collector.finish()).toEqual({
			controls: { style: null, position: null, 'style-position': null },
			categories: [],
		})
	})

	test('coefficients in words', () => {
		expect(describeCoefficient({ feature: 'length', elo: 31.26, eloLow: 20.04, eloHigh: 40 })).toBe(
			'longer answers win more often: +31.3 Elo per standard deviation of length (tokens), 95% interval +20.0 to +40.0',
		)
		expect(describeCoefficient({ feature: 'position', elo: -4, eloLow: -9, eloHigh: 1 })).toBe(
			'the answer shown first wins less often: −4.0 Elo per standard deviation of position (shown first or second), 95% interval −9.0 to +1.0 (the interval includes no effect)',
		)
		expect(describeCoefficient({ feature: 'bold', elo: null, eloLow: null, eloHigh: null })).toMatch(/no estimate/)
	})
})

describe('leaderboard extras in the analytics refresh', () => {
	test('a team that prefers longer answers shows a positive length coefficient, and items split by metadata', async () => {
		const annotators = await Promise.all([1, 2, 3].map(() => makeUser()))
		const project = await makeProject({ members: annotators, input: { overlap: 3, showModelNames: true } })
		const pairings = [
			['model-x', 'model-y'],
			['model-y', 'model-z'],
			['model-z', 'model-x'],
		]
		await addItems({
			projectId: project.id,
			items: makeItems({ count: 30, prefix: 'arena' }).map((item, i) => {
				const [first, second] = pairings[i % 3]!
				const long = i % 2 === 0 ? 'r1' : 'r2'
				const text = (id: string) =>
					id === long ? `A long answer with many words ${'and more words '.repeat(40 + (i % 7))}` : `Short ${i}`
				return {
					...item,
					metadata: { topic: i % 5 === 0 ? 'math' : 'prose' },
					responses: [
						{ ...item.responses[0]!, model: first!, content: text('r1') },
						{ ...item.responses[1]!, model: second!, content: text('r2') },
					],
				}
			}),
		})
		for (const annotator of annotators) {
			await judgeAll({
				slug: project.slug,
				annotator,
				decide: (assignment, index) => {
					const [x, y] = assignment.item.responses
					const longer = x!.content.length > y!.content.length ? x! : y!
					// Mostly the longer answer; now and then the other, so the fit stays finite.
					const pick = (itemNumber(assignment) + index) % 6 === 0 ? (longer === x ? y! : x!) : longer
					return { ranking: prefer(assignment, pick.id), strength: 1 }
				},
			})
		}
		await refreshProjectAnalytics({ projectId: project.id })
		const row = await prisma.analyticsSnapshot.findUniqueOrThrow({
			where: { projectId_kind: { projectId: project.id, kind: 'leaderboard' } },
		})
		const board = row.data as unknown as LeaderboardSnapshot
		expect(board.battles).toBe(90)
		const style = board.controls!.style!
		expect(style.battles).toBe(90)
		const length = style.coefficients.find((c) => c.feature === 'length')!
		expect(length.elo!).toBeGreaterThan(0)
		expect(length.eloLow!).toBeGreaterThan(0)
		expect(board.controls!['style-position']!.coefficients.at(-1)!.feature).toBe('position')
		const topic = board.categories!.find((category) => category.key === 'metadata.topic')!
		expect(topic.values.map((v) => [v.value, v.battles, v.sparse])).toEqual([
			['prose', 72, true],
			['math', 18, true],
		])

		// Style counts are kept per response, and the next refresh reads them instead of the text.
		const stored = await prisma.response.findMany({
			where: { item: { projectId: project.id } },
			select: { style: true },
		})
		expect(stored).toHaveLength(60)
		for (const { style } of stored) expect((style as { tokens: number }).tokens).toBeGreaterThan(0)
		await prisma.response.updateMany({
			where: { item: { projectId: project.id } },
			data: { style: { tokens: 7, headers: 0, lists: 0, bold: 0 } },
		})
		await refreshProjectAnalytics({ projectId: project.id })
		const again = (
			await prisma.analyticsSnapshot.findUniqueOrThrow({
				where: { projectId_kind: { projectId: project.id, kind: 'leaderboard' } },
			})
		).data as unknown as LeaderboardSnapshot
		expect(again.controls!.style!.coefficients.find((c) => c.feature === 'length')!.elo).toBeNull()
	})
})
