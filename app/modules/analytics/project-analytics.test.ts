import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { itemNumber, judgeAll, prefer } from '#tests/factories/analytics.ts'
import { addItems, makeItems, makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import type { SnapshotData } from './analytics.types.ts'
import { refreshProjectAnalytics } from './refresh-project-analytics.server.ts'

async function snapshots(projectId: string) {
	await refreshProjectAnalytics({ projectId })
	const rows = await prisma.analyticsSnapshot.findMany({ where: { projectId } })
	return Object.fromEntries(rows.map((row) => [row.kind, row.data])) as unknown as SnapshotData
}

const figure = (data: SnapshotData, key: string) => {
	const found = data.agreement.figures.find((entry) => entry.key === key)
	if (!found) throw new Error(`no figure ${key}`)
	return found
}

describe('project analytics from judgments made through the engine', () => {
	test('perfect agreement gives 1 on every figure, an empty review queue and full leave-one-out agreement', async () => {
		const annotators = await Promise.all([1, 2, 3].map(() => makeUser()))
		const project = await makeProject({
			members: annotators,
			items: 6,
			input: {
				overlap: 3,
				randomizeOrder: false,
				criteria: [{ name: 'helpfulness', description: '', min: 1, max: 5 }],
			},
		})
		for (const annotator of annotators) {
			await judgeAll({
				slug: project.slug,
				annotator,
				decide: (assignment) => {
					const n = itemNumber(assignment)
					const criteria = { r1: { helpfulness: 1 + (n % 5) }, r2: { helpfulness: 5 - (n % 3) } }
					if (n <= 3) return { ranking: [['r1'], ['r2']], strength: n, criteria }
					if (n <= 5) return { ranking: [['r2'], ['r1']], strength: 2, criteria }
					return { ranking: [['r1', 'r2']], criteria }
				},
			})
		}
		const data = await snapshots(project.id)
		for (const key of [
			'choice-nominal',
			'choice-percent',
			'choice-fleiss',
			'preference-ordinal',
			'preference-interval',
			'criterion:helpfulness',
		]) {
			const entry = figure(data, key)
			expect(entry.value, key).toBeCloseTo(1, 12)
			expect(entry.items, key).toBe(6)
			expect(entry.ciLow, key).toBeCloseTo(1, 12)
			expect(entry.ciHigh, key).toBeCloseTo(1, 12)
		}
		expect(figure(data, 'criterion:helpfulness').units).toBe(12)
		expect(figure(data, 'choice-fleiss').note).toMatch(/6 items with exactly 3 judgments/)
		expect(data.agreement).toMatchObject({ judgments: 18, items: 6, annotators: 3, goldJudgments: 0 })
		expect(data['review-queue']).toMatchObject({ openCount: 0, adjudicatedCount: 0, items: [] })
		for (const row of data.annotators.annotators) {
			expect(row).toMatchObject({ judgments: 6, looAgreement: 1, looItems: 6, flags: [] })
		}
		expect(data.annotators.pairs).toHaveLength(3)
		for (const pair of data.annotators.pairs)
			expect(pair).toMatchObject({ sharedItems: 6, kappa: 1, kappaLinear: 1, kappaQuadratic: 1 })
	})

	test('a contrarian has zero leave-one-out agreement, negative kappa with the others, and every item is disputed', async () => {
		const [a, b, c, contrarian] = await Promise.all([1, 2, 3, 4].map(() => makeUser()))
		const project = await makeProject({
			members: [a!, b!, c!, contrarian!],
			items: 6,
			input: { overlap: 4, randomizeOrder: false, useStrength: false },
		})
		const majority = (n: number) => (n <= 3 ? 'r1' : 'r2')
		for (const annotator of [a!, b!, c!]) {
			await judgeAll({
				slug: project.slug,
				annotator,
				decide: (assignment) => ({ ranking: prefer(assignment, majority(itemNumber(assignment))) }),
			})
		}
		await judgeAll({
			slug: project.slug,
			annotator: contrarian!,
			decide: (assignment) => ({
				ranking: prefer(assignment, majority(itemNumber(assignment)) === 'r1' ? 'r2' : 'r1'),
			}),
		})
		const data = await snapshots(project.id)
		const byId = new Map(data.annotators.annotators.map((row) => [row.userId, row]))
		for (const user of [a!, b!, c!])
			expect(byId.get(user.id)).toMatchObject({ looAgreement: 1, looItems: 6, displayName: user.displayName })
		expect(byId.get(contrarian!.id)).toMatchObject({ looAgreement: 0, looItems: 6 })
		const withContrarian = data.annotators.pairs.filter(
			(pair) => pair.a === contrarian!.id || pair.b === contrarian!.id,
		)
		expect(withContrarian).toHaveLength(3)
		for (const pair of withContrarian) expect(pair.kappa).toBeCloseTo(-1, 12)
		expect(figure(data, 'choice-nominal').value!).toBeLessThan(0.6)
		expect(figure(data, 'choice-percent').value).toBeCloseTo(0.5, 12)
		const queue = data['review-queue']
		expect(queue.openCount).toBe(6)
		expect(queue.items.map((entry) => entry.externalId)).toEqual([
			'item-1',
			'item-2',
			'item-3',
			'item-4',
			'item-5',
			'item-6',
		])
		expect(queue.items[0]).toMatchObject({
			disagreement: 0.25,
			votes: 4,
			adjudicated: false,
			preview: 'Prompt item 1',
			consensus: { ranking: [['r1'], ['r2']] },
		})
		expect(queue.items[0]!.answers).toEqual([
			{ ranking: [['r1'], ['r2']], bothBad: false, count: 3 },
			{ ranking: [['r2'], ['r1']], bothBad: false, count: 1 },
		])
	})

	test('an annotator who always picks the left response, fast, is flagged; one who alternates is not', async () => {
		const [lefty, careful] = await Promise.all([makeUser(), makeUser()])
		const project = await makeProject({ members: [lefty!, careful!], input: { overlap: 2 } })
		// Responses of equal length: whichever the randomized display puts first, no choice counts
		// toward a length preference, which would otherwise flag either annotator by chance.
		const items = makeItems({ count: 24 }).map((item) => ({
			...item,
			responses: item.responses.map((response) => ({
				...response,
				content: `Answer ${response.id} to ${item.externalId}`,
			})),
		}))
		await addItems({ projectId: project.id, items })
		await judgeAll({
			slug: project.slug,
			annotator: lefty!,
			decide: (assignment) => ({
				ranking: prefer(assignment, assignment.item.responses[0]!.id),
				strength: 1,
				activeMs: 900,
			}),
		})
		await judgeAll({
			slug: project.slug,
			annotator: careful!,
			decide: (assignment, index) => ({
				ranking: prefer(assignment, assignment.item.responses[index % 2]!.id),
				strength: 1,
				activeMs: 15_000,
			}),
		})
		const data = await snapshots(project.id)
		const byId = new Map(data.annotators.annotators.map((row) => [row.userId, row]))
		const biased = byId.get(lefty!.id)!
		expect(biased).toMatchObject({ positionRate: 1, positionTrials: 24, positionExpected: 0.5, medianActiveMs: 900 })
		expect(biased.positionP).toBeCloseTo(2 * 0.5 ** 24, 15)
		expect(biased.flags).toEqual(expect.arrayContaining(['position-bias', 'fast']))
		const fine = byId.get(careful!.id)!
		expect(fine).toMatchObject({ positionRate: 0.5, medianActiveMs: 15_000, flags: [] })
		expect(fine.positionP).toBeCloseTo(1, 12)
		expect(data.annotators.projectMedianActiveMs).toBe((900 + 15_000) / 2)
	})

	test('gold items are left out of agreement and give each annotator a gold accuracy', async () => {
		const [right, wrong] = await Promise.all([makeUser(), makeUser()])
		const project = await makeProject({
			members: [right!, wrong!],
			items: 4,
			input: { overlap: 2, goldRate: 0.5, randomizeOrder: false },
		})
		await addItems({ projectId: project.id, items: makeItems({ count: 5, prefix: 'gold', gold: true }) })
		await prisma.item.updateMany({
			where: { projectId: project.id, externalId: { startsWith: 'gold-' } },
			data: { isGold: true },
		})
		await judgeAll({
			slug: project.slug,
			annotator: right!,
			gold: true,
			decide: () => ({ ranking: [['r1'], ['r2']], strength: 2 }),
		})
		await judgeAll({
			slug: project.slug,
			annotator: wrong!,
			gold: true,
			decide: (assignment) => ({ ranking: prefer(assignment, itemNumber(assignment) % 2 ? 'r1' : 'r2'), strength: 2 }),
		})
		const data = await snapshots(project.id)
		expect(data.agreement).toMatchObject({ judgments: 8, goldJudgments: 10, items: 4 })
		const byId = new Map(data.annotators.annotators.map((row) => [row.userId, row]))
		expect(byId.get(right!.id)).toMatchObject({ goldAccuracy: 1, goldJudgments: 5, judgments: 9 })
		expect(byId.get(wrong!.id)).toMatchObject({ goldAccuracy: 0.6, goldJudgments: 5 })
		expect(figure(data, 'choice-nominal').items).toBe(4)
	})

	test('the leaderboard puts a model that always wins first, and rankings expand into implied battles', async () => {
		const [x, y] = await Promise.all([makeUser(), makeUser()])
		const project = await makeProject({ members: [x!, y!], input: { overlap: 2, showModelNames: true } })
		const pairings = [
			['champion', 'model-x'],
			['model-y', 'champion'],
			['model-x', 'model-y'],
		]
		await addItems({
			projectId: project.id,
			items: makeItems({ count: 12, prefix: 'arena' }).map((item, i) => {
				const [first, second] = pairings[i % 3]!
				return {
					...item,
					responses: [
						{ ...item.responses[0]!, model: first! },
						{ ...item.responses[1]!, model: second! },
					],
				}
			}),
		})
		for (const annotator of [x!, y!]) {
			await judgeAll({
				slug: project.slug,
				annotator,
				decide: (assignment, index) => {
					const champion = assignment.item.responses.find((response) => response.model === 'champion')
					if (champion) return { ranking: prefer(assignment, champion.id), strength: 3 }
					return index % 2
						? { ranking: [assignment.item.responses.map((response) => response.id)] }
						: { ranking: prefer(assignment, assignment.item.responses[0]!.id), strength: 1 }
				},
			})
		}
		const data = await snapshots(project.id)
		const board = data.leaderboard
		expect(board.battles).toBe(24)
		expect(board.rows.map((row) => row.model)[0]).toBe('champion')
		expect(board.rows[0]).toMatchObject({ rank: 1, battles: 16 })
		expect(board.rows[0]!.rating).toBeGreaterThan(board.rows[1]!.rating)
		const i = board.winRates.models.indexOf('champion')
		board.winRates.models.forEach((model, j) => {
			if (j !== i) expect(board.winRates.matrix[i]![j]).toBe(1)
		})
		const xy = board.pairs.find((pair) => pair.modelA === 'model-x' && pair.modelB === 'model-y')!
		expect(xy.battles).toBe(8)
		expect(xy.ties).toBeGreaterThan(0)

		const [r1, r2] = await Promise.all([makeUser(), makeUser()])
		const ranking = await makeProject({
			members: [r1!, r2!],
			items: 3,
			responses: 3,
			input: { taskType: 'ranking', overlap: 2, useStrength: false, randomizeOrder: false },
		})
		const orders: Record<number, string[][]> = {
			1: [['r3'], ['r2'], ['r1']],
			2: [['r3'], ['r1'], ['r2']],
			3: [['r3'], ['r1', 'r2']],
		}
		for (const annotator of [r1!, r2!])
			await judgeAll({
				slug: ranking.slug,
				annotator,
				decide: (assignment) => ({ ranking: orders[itemNumber(assignment)]! }),
			})
		const ranked = await snapshots(ranking.id)
		expect(ranked.leaderboard.battles).toBe(18)
		expect(ranked.leaderboard.rows[0]!.model).toBe('model-c')
		expect(figure(ranked, 'pairs-nominal')).toMatchObject({ value: 1, items: 3, units: 9 })
		expect(figure(ranked, 'pairs-percent').value).toBe(1)
		expect(figure(ranked, 'kendall-w').value).toBeCloseTo(1, 12)
		expect(figure(ranked, 'pairs-fleiss').value).toBeCloseTo(1, 12)
	})
})
