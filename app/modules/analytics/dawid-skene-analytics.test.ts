import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { createRng } from '#app/modules/stats/prng.ts'
import { itemNumber, judgeAll, prefer } from '#tests/factories/analytics.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import type { DawidSkeneSnapshot } from './analytics.types.ts'
import { createDawidSkeneCollector } from './dawid-skene-analytics.ts'
import { refreshProjectAnalytics } from './refresh-project-analytics.server.ts'

type Judgment = { userId: string; ranking: string[][]; bothBad: boolean }
const responses = (...keys: string[]) => keys.map((key) => ({ key }))
const item = (
	n: number,
	judgments: Judgment[],
	extra: { isGold?: boolean; gold?: { ranking: string[][] } | null; keys?: string[] } = {},
) => ({
	seq: n,
	isGold: extra.isGold ?? false,
	gold: extra.gold ?? null,
	responses: responses(...(extra.keys ?? ['r1', 'r2'])),
	judgments,
})
/** What loadItemReferences gives for the seqs, for items made by `item`. */
const loadItems =
	(keys = ['r1', 'r2']) =>
	async (seqs: number[]) =>
		new Map(seqs.map((n) => [n, { itemId: `id-${n}`, externalId: `item-${n}`, keys }]))
const vote = (userId: string, ranking: string[][], bothBad = false): Judgment => ({ userId, ranking, bothBad })

describe('Dawid–Skene analytics', () => {
	test('pairwise: careful annotators outvote two who agree by chance; a spammer is near chance; gold clamps', async () => {
		const rng = createRng(9)
		const collector = createDawidSkeneCollector({ taskType: 'pairwise' })
		const careful = ['c1', 'c2', 'c3', 'c4']
		const truths: number[] = []
		for (let n = 0; n < 200; n++) {
			const truth = rng.nextInt(2)
			truths.push(truth)
			const ranking = (first: boolean) => (first ? [['r1'], ['r2']] : [['r2'], ['r1']])
			const votes = [
				vote(careful[n % 4]!, ranking(rng.nextFloat() < 0.92 ? truth === 0 : truth !== 0)),
				vote(careful[(n + 1) % 4]!, ranking(rng.nextFloat() < 0.92 ? truth === 0 : truth !== 0)),
				vote(
					'spammer',
					rng.nextFloat() < 0.5 ? ranking(true) : rng.nextFloat() < 0.5 ? ranking(false) : [['r1', 'r2']],
					rng.nextFloat() < 0.2,
				),
			]
			collector.addItem(item(n, votes))
		}
		// A gold item whose votes all say r1, with r2 the known answer.
		collector.addItem(
			item(999, [vote('c1', [['r1'], ['r2']]), vote('spammer', [['r1'], ['r2']])], {
				isGold: true,
				gold: { ranking: [['r2'], ['r1']] },
			}),
		)
		const snapshot = await collector.finish({ names: new Map([['spammer', 'Spam']]), loadItems: loadItems() })
		expect(snapshot).toMatchObject({
			taskType: 'pairwise',
			classes: ['first', 'second', 'tie', 'both-bad'],
			units: 201,
			items: 200,
			judgments: 602,
			converged: true,
		})
		const byId = new Map(snapshot.annotators.map((row) => [row.userId, row]))
		expect(byId.get('spammer')).toMatchObject({ displayName: 'Spam', judgments: 201, nearChance: true })
		for (const id of careful) {
			expect(byId.get(id)!.reliability).toBeGreaterThan(0.8)
			expect(byId.get(id)!.nearChance).toBe(false)
		}
		expect(snapshot.annotators[0]!.userId).toBe('spammer')
		expect(snapshot.itemList.some((entry) => entry.itemId === 'id-999')).toBe(false)
		// Where the two careful annotators split, the majority is decided by the spammer (or tied); Dawid–Skene is not.
		expect(snapshot.disagreeCount).toBeGreaterThan(0)
		for (const entry of snapshot.itemList.slice(0, snapshot.disagreeCount)) {
			expect(entry).toMatchObject({ disagrees: true, votes: 3 })
			expect(entry.consensus).not.toEqual(entry.majority)
		}
		expect(snapshot.itemList.map((x) => x.confidence)).toEqual(
			[...snapshot.itemList]
				.sort((a, b) => Number(b.disagrees) - Number(a.disagrees) || a.confidence - b.confidence)
				.map((x) => x.confidence),
		)
		expect(snapshot.itemList.filter((x) => x.disagrees)).toHaveLength(snapshot.disagreeCount)
	})

	test('rankings: one unit per pair of responses; the consensus orders the responses by their wins', async () => {
		const collector = createDawidSkeneCollector({ taskType: 'ranking' })
		const keys = ['a', 'b', 'c']
		for (let n = 0; n < 5; n++) {
			collector.addItem(
				item(
					n,
					[vote('u1', [['c'], ['a'], ['b']]), vote('u2', [['c'], ['a'], ['b']]), vote('u3', [['c'], ['a', 'b']])],
					{ keys },
				),
			)
		}
		const snapshot: DawidSkeneSnapshot = await collector.finish({ names: new Map(), loadItems: loadItems(keys) })
		expect(snapshot).toMatchObject({
			classes: ['better', 'tie', 'worse'],
			units: 15,
			items: 5,
			judgments: 45,
			disagreeCount: 0,
		})
		for (const entry of snapshot.itemList) {
			expect(entry.consensus).toEqual({ ranking: [['c'], ['a'], ['b']], bothBad: false })
			expect(entry.majority).toEqual(entry.consensus)
		}
	})

	test('a project refresh stores the dawid-skene snapshot beside the others', async () => {
		const annotators = await Promise.all([1, 2, 3].map(() => makeUser()))
		const project = await makeProject({
			members: annotators,
			items: 6,
			input: { overlap: 3, randomizeOrder: false, useStrength: false },
		})
		for (const [i, annotator] of annotators.entries()) {
			await judgeAll({
				slug: project.slug,
				annotator,
				decide: (assignment) => ({
					ranking: prefer(assignment, (itemNumber(assignment) + (i === 2 ? 1 : 0)) % 2 === 0 ? 'r1' : 'r2'),
				}),
			})
		}
		await refreshProjectAnalytics({ projectId: project.id })
		const row = await prisma.analyticsSnapshot.findUniqueOrThrow({
			where: { projectId_kind: { projectId: project.id, kind: 'dawid-skene' } },
		})
		const data = row.data as unknown as DawidSkeneSnapshot
		expect(data).toMatchObject({
			taskType: 'pairwise',
			units: 6,
			items: 6,
			judgments: 18,
			converged: true,
			disagreeCount: 0,
		})
		expect(data.annotators.map((a) => a.userId).sort()).toEqual(annotators.map((a) => a.id).sort())
		const contrarian = data.annotators.find((a) => a.userId === annotators[2]!.id)!
		for (const other of data.annotators)
			if (other !== contrarian) expect(other.reliability).toBeGreaterThan(contrarian.reliability)
		expect(data.itemList).toHaveLength(6)
		for (const entry of data.itemList) {
			const n = Number(/(\d+)$/.exec(entry.externalId)![1])
			expect(entry.consensus.ranking[0]).toEqual([n % 2 === 0 ? 'r1' : 'r2'])
		}
	})

	test('a ranking project refresh: the consensus lists the item’s own response ids, best first', async () => {
		const annotators = await Promise.all([1, 2, 3].map(() => makeUser()))
		const project = await makeProject({
			members: annotators,
			items: 3,
			input: { taskType: 'ranking', overlap: 3, randomizeOrder: false },
		})
		for (const [i, annotator] of annotators.entries()) {
			await judgeAll({
				slug: project.slug,
				annotator,
				decide: () => ({ ranking: i === 2 ? [['r3'], ['r1', 'r4'], ['r2']] : [['r3'], ['r1'], ['r4'], ['r2']] }),
			})
		}
		await refreshProjectAnalytics({ projectId: project.id })
		const row = await prisma.analyticsSnapshot.findUniqueOrThrow({
			where: { projectId_kind: { projectId: project.id, kind: 'dawid-skene' } },
		})
		const data = row.data as unknown as DawidSkeneSnapshot
		expect(data).toMatchObject({
			taskType: 'ranking',
			classes: ['better', 'tie', 'worse'],
			units: 18,
			items: 3,
			judgments: 54,
		})
		expect(data.itemList).toHaveLength(3)
		for (const entry of data.itemList)
			expect(entry.consensus).toEqual({ ranking: [['r3'], ['r1'], ['r4'], ['r2']], bothBad: false })
	})
})
