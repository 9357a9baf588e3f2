import { describe, expect, test } from 'vitest'
import type { Role } from '#app/generated/prisma/enums.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { AppError } from '#app/utils/errors.ts'
import { itemNumber, judgeAll, prefer } from '#tests/factories/analytics.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { addItems, makeItems, makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { adjudicateItem } from './adjudicate-item.server.ts'
import type { ReviewQueueSnapshot } from './analytics.types.ts'
import { getReviewItem } from './get-review-item.server.ts'
import { refreshProjectAnalytics } from './refresh-project-analytics.server.ts'

async function errorOf(promise: Promise<unknown>) {
	try {
		await promise
	} catch (error) {
		return error as AppError
	}
	throw new Error('expected an error')
}

/** item-1 is disputed (two annotators prefer r1, one r2); item-2 is unanimous. */
async function disputedProject() {
	const annotators = await Promise.all([1, 2, 3].map(() => makeUser()))
	const reviewer = await makeUser({ roles: ['reviewer'] })
	const project = await makeProject({
		members: [...annotators, { id: reviewer.id, role: 'reviewer' }],
		items: 2,
		input: { overlap: 3, randomizeOrder: false, rationale: 'optional' },
	})
	for (const [i, annotator] of annotators.entries()) {
		await judgeAll({
			slug: project.slug,
			annotator,
			decide: (assignment) => ({
				ranking: prefer(assignment, itemNumber(assignment) === 1 && i === 2 ? 'r2' : 'r1'),
				strength: 2,
				rationale: `because ${i}`,
			}),
		})
	}
	const items = await prisma.item.findMany({ where: { projectId: project.id }, orderBy: { seq: 'asc' } })
	return { project, reviewer: asSessionUser(reviewer), annotators, disputed: items[0]!, unanimous: items[1]! }
}

const decision = { ranking: [['r2'], ['r1']], strength: 3, note: 'B cites the source; A invents one.' }

const queueOf = async (projectId: string) =>
	(await prisma.analyticsSnapshot.findUniqueOrThrow({
		where: { projectId_kind: { projectId, kind: 'review-queue' } },
	})) as unknown as { data: ReviewQueueSnapshot; computedAt: Date }

describe('adjudicateItem', () => {
	test('only the project’s reviewers and admins may adjudicate', async () => {
		const { disputed, reviewer } = await disputedProject()
		const [admin, engineer, outsider, annotatorMember] = await Promise.all(
			(['admin', 'engineer', 'reviewer', 'annotator'] as Role[]).map((role) => makeUser({ roles: [role] })),
		)
		await prisma.projectMember.create({
			data: { projectId: disputed.projectId, userId: annotatorMember!.id, role: 'annotator' },
		})
		expect(
			(await errorOf(adjudicateItem({ itemId: disputed.id, user: asSessionUser(engineer!), input: decision }))).status,
		).toBe(403)
		expect(
			(await errorOf(adjudicateItem({ itemId: disputed.id, user: asSessionUser(annotatorMember!), input: decision })))
				.status,
		).toBe(403)
		expect(
			(await errorOf(adjudicateItem({ itemId: disputed.id, user: asSessionUser(outsider!), input: decision }))).status,
		).toBe(404)
		expect(await prisma.adjudication.count({ where: { itemId: disputed.id } })).toBe(0)
		await adjudicateItem({ itemId: disputed.id, user: reviewer, input: decision })
		await adjudicateItem({ itemId: disputed.id, user: asSessionUser(admin!), input: { ...decision, note: 'Agreed.' } })
		expect(await prisma.adjudication.count({ where: { itemId: disputed.id } })).toBe(2)
	})

	test('the decision is validated against the item’s responses, and nothing is written when it does not fit', async () => {
		const { project, disputed, reviewer } = await disputedProject()
		const cases: [unknown, string][] = [
			[{ ranking: [['r2']], strength: 1, note: 'x' }, 'ranking'],
			[{ ranking: [['r9'], ['r1']], strength: 1, note: 'x' }, 'ranking[0][0]'],
			[{ ranking: [['r2'], ['r1']], note: 'x' }, 'strength'],
			[{ ranking: [['r2'], ['r1']], bothBad: true, strength: 1, note: 'x' }, 'bothBad'],
			[{ ranking: [['r2'], ['r1']], strength: 1, note: '   ' }, 'note'],
			[{ ranking: [['r2'], ['r1']], strength: 7, note: 'x' }, 'strength'],
		]
		for (const [input, path] of cases) {
			const error = await errorOf(adjudicateItem({ itemId: disputed.id, user: reviewer, input }))
			expect(error.status, JSON.stringify(input)).toBe(422)
			expect(error.fieldErrors?.map((field) => field.path)).toContain(path)
		}
		expect((await errorOf(adjudicateItem({ itemId: 'not-a-uuid', user: reviewer, input: decision }))).status).toBe(404)
		expect(
			(
				await errorOf(
					adjudicateItem({ itemId: '00000000-0000-4000-8000-000000000000', user: reviewer, input: decision }),
				)
			).status,
		).toBe(404)
		await addItems({ projectId: project.id, items: makeItems({ count: 1, prefix: 'gold', gold: true }) })
		const gold = await prisma.item.findFirstOrThrow({ where: { projectId: project.id, externalId: 'gold-1' } })
		await prisma.item.update({ where: { id: gold.id }, data: { isGold: true } })
		expect((await errorOf(adjudicateItem({ itemId: gold.id, user: reviewer, input: decision }))).status).toBe(409)
		expect(await prisma.adjudication.count({ where: { item: { projectId: project.id } } })).toBe(0)
		expect(await prisma.auditEvent.count({ where: { action: 'item.adjudicated', projectId: project.id } })).toBe(0)
		// A tie or both-bad needs no strength.
		await adjudicateItem({
			itemId: disputed.id,
			user: reviewer,
			input: { ranking: [['r1', 'r2']], bothBad: true, note: 'Both are wrong.' },
		})
	})

	test('becomes the item’s consensus, is audited, and moves the item in the stored queue without a recompute', async () => {
		const { project, disputed, reviewer } = await disputedProject()
		await refreshProjectAnalytics({ projectId: project.id })
		const before = await queueOf(project.id)
		expect(before.data).toMatchObject({ openCount: 1, adjudicatedCount: 0 })
		expect(before.data.items.map((entry) => entry.itemId)).toEqual([disputed.id])

		const result = await adjudicateItem({ itemId: disputed.id, user: reviewer, input: decision, ip: '203.0.113.9' })
		expect(result.consensus).toMatchObject({ ranking: [['r2'], ['r1']], strength: 3, adjudicated: true, votes: 3 })
		expect(result.consensus.agreement).toBeCloseTo(1 / 3, 12)
		expect(result.adjudication).toMatchObject({
			itemId: disputed.id,
			reviewerId: reviewer.id,
			note: decision.note,
			strength: 3,
		})

		const audit = await prisma.auditEvent.findFirstOrThrow({
			where: { action: 'item.adjudicated', targetId: disputed.id },
		})
		expect(audit).toMatchObject({ actorId: reviewer.id, targetType: 'item', projectId: project.id, ip: '203.0.113.9' })
		expect(audit.data).toMatchObject({
			adjudicationId: result.adjudication.id,
			externalId: 'item-1',
			ranking: [['r2'], ['r1']],
			strength: 3,
			note: decision.note,
			replaces: null,
		})

		const after = await queueOf(project.id)
		expect(after.computedAt).toEqual(before.computedAt)
		expect(after.data).toMatchObject({ openCount: 0, adjudicatedCount: 1 })
		expect(after.data.items[0]).toMatchObject({
			itemId: disputed.id,
			adjudicated: true,
			consensus: { ranking: [['r2'], ['r1']], strength: 3 },
			preview: 'Prompt item 1',
		})

		const view = await getReviewItem({ slug: project.slug, itemId: disputed.id, user: reviewer })
		expect(view.consensus).toMatchObject({ adjudicated: true, ranking: [['r2'], ['r1']] })
		expect(view.adjudications[0]).toMatchObject({ note: decision.note, reviewer: reviewer.displayName })
		expect(view.judgments.map((judgment) => judgment.rationale).sort()).toEqual(['because 0', 'because 1', 'because 2'])

		// A second decision replaces the first; the counts do not move, and a full recompute agrees.
		await adjudicateItem({
			itemId: disputed.id,
			user: reviewer,
			input: { ranking: [['r1', 'r2']], note: 'On reflection, equally good.' },
		})
		expect((await queueOf(project.id)).data).toMatchObject({
			openCount: 0,
			adjudicatedCount: 1,
			items: [{ consensus: { ranking: [['r1', 'r2']] } }],
		})
		const second = await prisma.auditEvent.findFirstOrThrow({
			where: { action: 'item.adjudicated', targetId: disputed.id },
			orderBy: { id: 'desc' },
		})
		expect((second.data as { replaces: string }).replaces).toBe(result.adjudication.id)
		await refreshProjectAnalytics({ projectId: project.id })
		expect((await queueOf(project.id)).data).toMatchObject({
			openCount: 0,
			adjudicatedCount: 1,
			items: [{ itemId: disputed.id, adjudicated: true, consensus: { ranking: [['r1', 'r2']] } }],
		})
	})

	test('an undisputed item can be adjudicated too, and the queue counts stay right', async () => {
		const { project, unanimous, reviewer } = await disputedProject()
		await refreshProjectAnalytics({ projectId: project.id })
		await adjudicateItem({ itemId: unanimous.id, user: reviewer, input: decision })
		expect((await queueOf(project.id)).data).toMatchObject({ openCount: 1, adjudicatedCount: 0 })
		const view = await getReviewItem({ slug: project.slug, itemId: unanimous.id, user: reviewer })
		expect(view.consensus).toMatchObject({ adjudicated: true, agreement: 0 })
	})
})
