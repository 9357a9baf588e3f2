import { describe, expect, test } from 'vitest'
import { krippendorffAlphaFromUnits } from '#app/modules/stats/krippendorff.ts'
import { percentAgreementFromUnits } from '#app/modules/stats/percent-agreement.ts'
import { createRng } from '#app/modules/stats/prng.ts'
import { prisma } from '#app/utils/db.server.ts'
import {
	comparisonItems,
	createComparisonJudgment,
	makeComparisonProject,
	type ComparisonOutcome,
} from '#tests/factories/comparison.ts'
import { makeUser } from '#tests/factories/users.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { adjudicateItem } from './adjudicate-item.server.ts'
import type { SnapshotData } from './analytics.types.ts'
import { comparisonUnitItems, splitComparisonItem } from './comparison-units.ts'
import { getReviewItem } from './get-review-item.server.ts'
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

describe('comparison units', () => {
	test('judgments split by the pair they saw, in stored order, whatever order they were shown in', () => {
		const responses = ['r1', 'r2', 'r3'].map((key) => ({ key, model: null }))
		const judgments = [
			{ id: 1, displayOrder: ['r3', 'r1'] },
			{ id: 2, displayOrder: ['r1', 'r2'] },
			{ id: 3, displayOrder: ['r1', 'r3'] },
			{ id: 4, displayOrder: ['r1', 'r2', 'r3'] },
			{ id: 5, displayOrder: ['r1', 'r9'] },
		]
		const { units, unpaired } = splitComparisonItem({ responses, judgments })
		expect(units.map((unit) => [unit.pair, unit.judgments.map((judgment) => judgment.id)])).toEqual([
			[['r1', 'r2'], [2]],
			[
				['r1', 'r3'],
				[1, 3],
			],
		])
		expect(unpaired.map((judgment) => judgment.id)).toEqual([4, 5])
	})

	test("a unit takes its pair's adjudication and the gold answer restricted to its pair; models default to keys", () => {
		const units = comparisonUnitItems({
			responses: [
				{ key: 'r1', model: 'a' },
				{ key: 'r2', model: null, selfIdentifies: true },
				{ key: 'r3', model: 'c' },
			],
			judgments: [{ displayOrder: ['r2', 'r1'] }, { displayOrder: ['r3', 'r1'] }],
			gold: { ranking: [['r3'], ['r2'], ['r1']] },
			adjudication: null,
			adjudications: [{ ranking: [['r3'], ['r1']] }],
		})
		expect(units).toMatchObject([
			{ pair: ['r1', 'r2'], selfIdentified: true, adjudication: null, gold: { ranking: [['r2'], ['r1']] } },
			{ pair: ['r1', 'r3'], selfIdentified: false, adjudication: { ranking: [['r3'], ['r1']] } },
		])
		expect(units[0]!.responses.map((response) => response.model)).toEqual(['a', 'r2'])
	})
})

describe('analytics of a comparison project', () => {
	test('consensus, agreement and the review queue are per (item, pair), with mixed pairs on one item', async () => {
		const users = await Promise.all([1, 2, 3, 4, 5, 6].map(() => makeUser()))
		const [a, b, c, d, e, f] = users as [(typeof users)[number], ...typeof users]
		const project = await makeComparisonProject({
			members: users,
			items: comparisonItems({ count: 2, responses: 3 }),
			input: { overlap: 6, useStrength: false },
		})
		const judge = (externalId: string, userId: string, shown: [string, string], outcome: ComparisonOutcome) =>
			createComparisonJudgment({ projectId: project.id, externalId, userId, shown, outcome })
		// arena-1, pair (r1, r2): two for r1 (one saw r2 first), one for r2: disputed.
		await judge('arena-1', a.id, ['r1', 'r2'], { winner: 'r1' })
		await judge('arena-1', b!.id, ['r2', 'r1'], { winner: 'r1' })
		await judge('arena-1', c!.id, ['r1', 'r2'], { winner: 'r2' })
		// arena-1, pair (r1, r3): both for r3, shown in opposite orders: agreed.
		await judge('arena-1', d!.id, ['r3', 'r1'], { winner: 'r3' })
		await judge('arena-1', e!.id, ['r1', 'r3'], { winner: 'r3' })
		// arena-1, pair (r2, r3): a single judgment, no agreement unit.
		await judge('arena-1', f!.id, ['r2', 'r3'], { tie: true })
		// arena-2, pair (r2, r3): a tie and a both-bad: two different choices.
		await judge('arena-2', a.id, ['r3', 'r2'], { tie: true })
		await judge('arena-2', b!.id, ['r2', 'r3'], { bothBad: true })

		const data = await snapshots(project.id)
		expect(data.agreement).toMatchObject({ taskType: 'comparison', judgments: 8, items: 2, units: 4 })
		// Choices relative to each pair's stored order: 1 first, 2 second, 3 tie, 4 both bad.
		const units = [
			[1, 1, 2],
			[2, 2],
			[3, 4],
		]
		expect(figure(data, 'choice-percent')).toMatchObject({ items: 3, units: 3 })
		expect(figure(data, 'choice-percent').value).toBeCloseTo(percentAgreementFromUnits({ units }).agreement, 12)
		expect(figure(data, 'choice-nominal').value).toBeCloseTo(
			krippendorffAlphaFromUnits({ units, level: 'nominal' }).alpha,
			12,
		)

		const queue = data['review-queue']
		// A tie and a both-bad agree that neither response wins: arena-2's unit is not disputed.
		expect(queue.openCount).toBe(1)
		const disputed = queue.items.find((entry) => entry.externalId === 'arena-1')
		expect(disputed).toMatchObject({
			pair: ['r1', 'r2'],
			votes: 3,
			consensus: { ranking: [['r1'], ['r2']], bothBad: false },
		})
		expect(queue.items.map((entry) => entry.externalId)).toEqual(['arena-1'])
		// Every judgment is a battle between its two shown models.
		expect(data.leaderboard.battles).toBe(8)
		expect(data.leaderboard.selfIdentified).toEqual({ battles: 0, included: false })
		const ab = data.leaderboard.pairs.find((pair) => pair.modelA === 'model-a' && pair.modelB === 'model-b')
		expect(ab).toMatchObject({ battles: 3, aWins: 2, bWins: 1 })
		const bc = data.leaderboard.pairs.find((pair) => pair.modelA === 'model-b' && pair.modelB === 'model-c')
		expect(bc).toMatchObject({ battles: 3, ties: 2, bothBad: 1 })
		// Dawid–Skene's units are the same (item, pair) units, reported with their own two keys.
		const dawidSkene = data['dawid-skene']
		expect(dawidSkene).toMatchObject({ units: 4, judgments: 8 })
		const arena1 = dawidSkene.itemList
			.filter((entry) => entry.externalId === 'arena-1')
			.map((entry) => [entry.pair, entry.majority.ranking])
		expect(arena1).toEqual(
			expect.arrayContaining([
				[
					['r1', 'r2'],
					[['r1'], ['r2']],
				],
				[
					['r1', 'r3'],
					[['r3'], ['r1']],
				],
			]),
		)
		for (const entry of dawidSkene.itemList) expect(entry.consensus.ranking.flat().sort()).toEqual(entry.pair)
		// Position: annotators who saw the winner first, per pair, are counted by display order.
		const annotatorA = data.annotators.annotators.find((row) => row.userId === a.id)
		expect(annotatorA).toMatchObject({ judgments: 2 })
	})

	test("the agreement bootstrap resamples prompts: one prompt's pairs move together", async () => {
		const users = await Promise.all(Array.from({ length: 9 }, () => makeUser()))
		const project = await makeComparisonProject({
			members: users,
			items: comparisonItems({ count: 2, responses: 4 }),
			input: { overlap: 9, useStrength: false },
		})
		const judge = (externalId: string, userId: string, shown: [string, string], outcome: ComparisonOutcome) =>
			createComparisonJudgment({ projectId: project.id, externalId, userId, shown, outcome })
		// Three pairs of one prompt, each judged by three annotators, two of whom agree.
		const pairs: [string, string][] = [
			['r1', 'r2'],
			['r2', 'r3'],
			['r3', 'r4'],
		]
		for (const [p, shown] of pairs.entries()) {
			await judge('arena-1', users[3 * p]!.id, shown, { winner: shown[0] })
			await judge('arena-1', users[3 * p + 1]!.id, shown, { winner: shown[0] })
			await judge('arena-1', users[3 * p + 2]!.id, shown, { winner: shown[1] })
		}
		const one = await snapshots(project.id)
		// Three units, but one prompt: nothing to resample, so no interval.
		expect(figure(one, 'choice-percent')).toMatchObject({ units: 3, ciLow: null, ciHigh: null })
		// A second prompt gives the bootstrap two clusters to draw from.
		await judge('arena-2', users[0]!.id, ['r1', 'r2'], { winner: 'r1' })
		await judge('arena-2', users[1]!.id, ['r1', 'r2'], { winner: 'r1' })
		const two = await snapshots(project.id)
		expect(figure(two, 'choice-percent').ciLow).not.toBeNull()
	})

	test('the leaderboard ranks a planted strong model first, and the position control sees first-shown wins', async () => {
		const models = ['weak', 'fair', 'good', 'strong']
		const strength = { weak: 0, fair: 0.6, good: 1.2, strong: 2.4 } as Record<string, number>
		const users = await Promise.all([1, 2, 3, 4].map(() => makeUser()))
		const items = Array.from({ length: 40 }, (_, i) => ({
			externalId: `battle-${i + 1}`,
			responses: models.map((model, r) => ({ key: `r${r + 1}`, model })),
			metadata: { category: i % 2 === 0 ? 'math' : 'code' },
		}))
		const project = await makeComparisonProject({ members: users, items, input: { overlap: 4 } })
		const rng = createRng(7)
		const random = () => rng.nextFloat()
		for (const item of items) {
			for (const user of users) {
				const i = Math.floor(random() * 4)
				const j = (i + 1 + Math.floor(random() * 3)) % 4
				const shown: [string, string] = [`r${i + 1}`, `r${j + 1}`]
				// Bradley–Terry on the planted strengths, plus a pull towards the response shown first.
				const p = 1 / (1 + Math.exp(-(strength[models[i]!]! - strength[models[j]!]! + 0.8)))
				await createComparisonJudgment({
					projectId: project.id,
					externalId: item.externalId,
					userId: user.id,
					shown,
					outcome: { winner: random() < p ? shown[0] : shown[1] },
				})
			}
		}
		const data = await snapshots(project.id)
		const board = data.leaderboard
		expect(board.battles).toBe(160)
		expect(board.rows[0]!.model).toBe('strong')
		expect(board.rows.at(-1)!.model).toBe('weak')
		const position = board.controls?.position
		expect(position).not.toBeNull()
		const coefficient = position!.coefficients.find((entry) => entry.feature === 'position')
		expect(coefficient!.elo!).toBeGreaterThan(0)
		expect(coefficient!.eloLow!).toBeGreaterThan(0)
		expect(position!.rows[0]!.model).toBe('strong')
		// Per-category boards split the same battles.
		const categories = board.categories!.find((entry) => entry.key === 'metadata.category')!
		expect(categories.values.map((value) => value.value).sort()).toEqual(['code', 'math'])
		expect(categories.values.reduce((sum, value) => sum + value.battles, 0)).toBe(160)
		expect(board.controls?.style?.battles).toBe(160)
	})

	test('battles with a self-identifying response are left out by default and counted; the project can include them', async () => {
		const users = await Promise.all([1, 2, 3].map(() => makeUser()))
		const items = Array.from({ length: 4 }, (_, i) => ({
			externalId: `self-${i + 1}`,
			responses: [
				{ key: 'r1', model: 'alpha' },
				{ key: 'r2', model: 'beta', selfIdentifies: i < 2 },
				{ key: 'r3', model: null },
			],
		}))
		const project = await makeComparisonProject({ members: users, items })
		for (const item of items) {
			await createComparisonJudgment({
				projectId: project.id,
				externalId: item.externalId,
				userId: users[0]!.id,
				shown: ['r2', 'r1'],
				outcome: { winner: 'r2' },
			})
			await createComparisonJudgment({
				projectId: project.id,
				externalId: item.externalId,
				userId: users[1]!.id,
				shown: ['r1', 'r3'],
				outcome: { winner: 'r3' },
			})
		}
		const excluded = (await snapshots(project.id)).leaderboard
		// Two items' (r1, r2) battles are left out; r3 has no model and battles under its key.
		expect(excluded.selfIdentified).toEqual({ battles: 2, included: false })
		expect(excluded.battles).toBe(6)
		expect(excluded.pairs.find((pair) => pair.modelA === 'alpha' && pair.modelB === 'beta')).toMatchObject({
			battles: 2,
		})
		expect(excluded.pairs.find((pair) => pair.modelA === 'alpha' && pair.modelB === 'r3')).toMatchObject({
			battles: 4,
			bWins: 4,
		})

		await prisma.project.update({ where: { id: project.id }, data: { arena: { includeSelfIdentified: true } } })
		const included = (await snapshots(project.id)).leaderboard
		expect(included.selfIdentified).toEqual({ battles: 2, included: true })
		expect(included.battles).toBe(8)
		expect(included.pairs.find((pair) => pair.modelA === 'alpha' && pair.modelB === 'beta')).toMatchObject({
			battles: 4,
		})
	})
})

describe('review of a comparison item', () => {
	test('the review page shows the pair each judgment saw; a decision settles one pair and its queue entry only', async () => {
		const annotators = await Promise.all([1, 2, 3, 4, 5].map(() => makeUser()))
		const reviewer = await makeUser({ roles: ['reviewer'] })
		const project = await makeComparisonProject({
			members: [...annotators, { id: reviewer.id, role: 'reviewer' }],
			items: comparisonItems({ count: 1, responses: 3 }),
			input: { overlap: 5, useStrength: false },
		})
		const judge = (userId: string, shown: [string, string], winner: string) =>
			createComparisonJudgment({ projectId: project.id, externalId: 'arena-1', userId, shown, outcome: { winner } })
		await judge(annotators[0]!.id, ['r1', 'r2'], 'r1')
		await judge(annotators[1]!.id, ['r2', 'r1'], 'r2')
		await judge(annotators[2]!.id, ['r3', 'r2'], 'r3')
		await judge(annotators[3]!.id, ['r2', 'r3'], 'r2')
		await judge(annotators[4]!.id, ['r3', 'r1'], 'r1')
		const before = await snapshots(project.id)
		expect(before['review-queue'].items.map((entry) => entry.pair)).toEqual([
			['r1', 'r2'],
			['r2', 'r3'],
		])
		const itemId = before['review-queue'].items[0]!.itemId
		const user = asSessionUser(reviewer)

		const view = await getReviewItem({ slug: project.slug, itemId, user, pair: ['r3', 'r2'] })
		expect(view.pair).toEqual(['r2', 'r3'])
		expect(view.decisionResponses!.map((response) => response.id)).toEqual(['r2', 'r3'])
		expect(view.judgments.map((judgment) => judgment.pair)).toEqual([
			['r1', 'r2'],
			['r1', 'r2'],
			['r2', 'r3'],
			['r2', 'r3'],
			['r1', 'r3'],
		])
		expect(view.pairs!.map((entry) => [entry.pair, entry.votes, entry.disagreement])).toEqual([
			[['r1', 'r2'], 2, 1],
			[['r1', 'r3'], 1, 0],
			[['r2', 'r3'], 2, 1],
		])

		const rejected = adjudicateItem({
			itemId,
			user,
			input: { ranking: [['r1'], ['r2'], ['r3']], note: 'all three' },
		})
		await expect(rejected).rejects.toMatchObject({ code: 'INVALID' })
		const decided = await adjudicateItem({
			itemId,
			user,
			input: { ranking: [['r3'], ['r2']], note: 'r3 answers the question' },
		})
		expect(decided.consensus).toMatchObject({ ranking: [['r3'], ['r2']], adjudicated: true, agreement: 0.5 })
		const queue = (await prisma.analyticsSnapshot.findUniqueOrThrow({
			where: { projectId_kind: { projectId: project.id, kind: 'review-queue' } },
		})) as unknown as { data: SnapshotData['review-queue'] }
		expect(queue.data.openCount).toBe(1)
		expect(queue.data.adjudicatedCount).toBe(1)
		expect(queue.data.items.map((entry) => [entry.pair, entry.adjudicated])).toEqual([
			[['r1', 'r2'], false],
			[['r2', 'r3'], true],
		])
		// A full recompute agrees with the per-item update, and the other pair stays undecided.
		const after = await snapshots(project.id)
		expect(after['review-queue'].items.map((entry) => [entry.pair, entry.adjudicated])).toEqual([
			[['r1', 'r2'], false],
			[['r2', 'r3'], true],
		])
		const settled = await getReviewItem({ slug: project.slug, itemId, user, pair: ['r2', 'r3'] })
		expect(settled.consensus).toMatchObject({ ranking: [['r3'], ['r2']], adjudicated: true })
		const other = await getReviewItem({ slug: project.slug, itemId, user, pair: ['r1', 'r2'] })
		expect(other.consensus.adjudicated).toBe(false)
	})
})
