import { describe, expect, test } from 'vitest'
import type { Role } from '#app/generated/prisma/enums.ts'
import { refreshProjectAnalytics } from '#app/modules/analytics/refresh-project-analytics.server.ts'
import { getOverlapSpend } from '#app/modules/projects/overlap-spend.server.ts'
import { projectInputFromForm } from '#app/modules/projects/project-form.ts'
import { updateProject } from '#app/modules/projects/update-project.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { AppError } from '#app/utils/errors.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { confidenceOf, DEFAULT_ACCURACY, defaultConfusion, logPrior, shrunkLogConfusion } from './adaptive-overlap.ts'
import { claimNext } from './claim-next.server.ts'
import { refreshAdaptiveItems } from './refresh-adaptive-items.server.ts'
import type { Assignment } from './serialize-assignment.ts'
import { submitJudgment } from './submit-judgment.server.ts'

type Annotator = { id: string; email: string; displayName: string; roles: Role[] }
const asUser = ({ id, email, displayName, roles }: Annotator) => ({ id, email, displayName, roles })
const adaptive = (min: number, max: number, confidence: number) => ({
	overlap: { mode: 'adaptive' as const, min, max, confidence },
})

/** A vote on the stored order (r1 is stored first): first better, second better, or a tie. */
function vote(assignment: Assignment, key: string, choice: 'first' | 'second' | 'tie' = 'first') {
	const ranking = choice === 'first' ? [['r1'], ['r2']] : choice === 'second' ? [['r2'], ['r1']] : [['r1', 'r2']]
	return { ranking, strength: choice === 'tie' ? null : 2, idempotencyKey: key }
}

async function judge(
	slug: string,
	annotator: Annotator,
	choice: 'first' | 'second' | 'tie' = 'first',
	now = new Date(),
) {
	const assignment = await claimNext({ slug, user: asUser(annotator), now })
	if (!assignment) throw new Error('no work')
	await submitJudgment({
		leaseId: assignment.lease.id,
		user: asUser(annotator),
		input: vote(assignment, `${annotator.id}-${assignment.item.id}`, choice),
		now,
	})
	return assignment
}

async function errorOf(promise: Promise<unknown>) {
	try {
		await promise
	} catch (error) {
		return error as AppError
	}
	throw new Error('expected an error')
}

describe('the policy', () => {
	test('a plain number stays fixed; an adaptive policy is stored as columns; ranking projects are refused adaptive', async () => {
		const plain = await makeProject({ input: { overlap: 4 } as never })
		expect(plain).toMatchObject({ overlap: 4, overlapMode: 'fixed', overlapMax: null })
		const fixed = await makeProject({ input: { overlap: { mode: 'fixed', n: 2 } } })
		expect(fixed).toMatchObject({ overlap: 2, overlapMode: 'fixed' })
		const project = await makeProject({ input: adaptive(2, 5, 0.9) })
		expect(project).toMatchObject({ overlap: 2, overlapMode: 'adaptive', overlapMax: 5, overlapConfidence: 0.9 })
		await expect(makeProject({ input: { taskType: 'ranking', ...adaptive(2, 5, 0.9) } })).rejects.toThrow(/pairwise/)
		await expect(makeProject({ input: adaptive(4, 3, 0.9) })).rejects.toThrow(/max must be at least min/)
	})

	test('the settings form sends a policy', () => {
		const form = new FormData()
		form.set('overlap', '2')
		expect(projectInputFromForm(form).overlap).toBe(2)
		form.set('overlapMode', 'adaptive')
		form.set('overlapMax', '5')
		form.set('overlapConfidence', '0.9')
		expect(projectInputFromForm(form).overlap).toEqual({ mode: 'adaptive', min: 2, max: 5, confidence: 0.9 })
	})

	test('the default reliability and its shrinkage', () => {
		const conf = defaultConfusion(4)
		expect(conf[0]).toBe(DEFAULT_ACCURACY)
		expect(conf[1]).toBeCloseTo(0.1, 12)
		// 20 judgments weigh as much as the default's 20 pseudo-judgments.
		const perfect = Array.from({ length: 16 }, (_, g) => (Math.floor(g / 4) === g % 4 ? 1 : 0))
		expect(Math.exp(shrunkLogConfusion({ confusion: perfect, judgments: 20, classes: 4 })[0]!)).toBeCloseTo(0.85, 12)
		expect(Math.exp(shrunkLogConfusion({ confusion: perfect, judgments: 0, classes: 4 })[5]!)).toBeCloseTo(0.7, 12)
		expect(confidenceOf([0, 0, 0, 0])).toBeCloseTo(0.25, 12)
	})
})

describe('the rule at submit time', () => {
	test('two annotators with no history who agree close the item at the minimum; disagreement asks for one more, up to the maximum', async () => {
		const team = await Promise.all(Array.from({ length: 6 }, () => makeUser()))
		const project = await makeProject({ members: team, items: 1, input: adaptive(2, 4, 0.9) })
		const item = () => prisma.item.findFirstOrThrow({ where: { projectId: project.id } })

		await judge(project.slug, team[0]!, 'first')
		expect(await item()).toMatchObject({ judgmentCount: 1, isOpen: true, targetCount: 2 })
		await judge(project.slug, team[1]!, 'second')
		// (0.7·0.1) for each of the two contested classes: confidence 0.49 < 0.9.
		expect(await item()).toMatchObject({ judgmentCount: 2, isOpen: true, targetCount: 3 })
		expect(confidenceOf((await item()).dsLogPost)).toBeCloseTo(0.07 / (0.07 + 0.07 + 0.01 + 0.01), 9)
		await judge(project.slug, team[2]!, 'first')
		// 0.7·0.1·0.7 against 0.1·0.7·0.1: 0.049 / (0.049 + 0.007 + 0.001 + 0.001) ≈ 0.845, still short.
		expect(await item()).toMatchObject({ judgmentCount: 3, isOpen: true, targetCount: 4 })
		await judge(project.slug, team[3]!, 'first')
		expect(await item()).toMatchObject({ judgmentCount: 4, isOpen: false, targetCount: 4 })
		expect(await claimNext({ slug: project.slug, user: asUser(team[4]!) })).toBeNull()

		const agreeing = await makeProject({ members: team, items: 1, input: adaptive(2, 4, 0.9) })
		await judge(agreeing.slug, team[0]!, 'tie')
		await judge(agreeing.slug, team[1]!, 'tie')
		// 0.49 against 0.01 three times: 0.942 ≥ 0.9.
		expect(await prisma.item.findFirstOrThrow({ where: { projectId: agreeing.id } })).toMatchObject({
			judgmentCount: 2,
			isOpen: false,
			targetCount: 2,
		})
	})

	test('never more leases and judgments than the rule asks: live leases count against the target', async () => {
		const team = await Promise.all(Array.from({ length: 5 }, () => makeUser()))
		const project = await makeProject({ members: team, items: 1, input: adaptive(2, 5, 0.9) })
		const [a, b, c, d] = team.map(asUser)
		const first = (await claimNext({ slug: project.slug, user: a! }))!
		const second = (await claimNext({ slug: project.slug, user: b! }))!
		expect(second.item.id).toBe(first.item.id)
		expect(await claimNext({ slug: project.slug, user: c! })).toBeNull()

		await submitJudgment({ leaseId: first.lease.id, user: a!, input: vote(first, 'a', 'first') })
		expect(await claimNext({ slug: project.slug, user: c! })).toBeNull()
		await submitJudgment({ leaseId: second.lease.id, user: b!, input: vote(second, 'b', 'second') })
		// Unsure after two: one more, and only one.
		expect(await claimNext({ slug: project.slug, user: c! })).not.toBeNull()
		expect(await claimNext({ slug: project.slug, user: d! })).toBeNull()
	})

	test('an expired lease cannot add a judgment past the maximum', async () => {
		const team = await Promise.all(Array.from({ length: 3 }, () => makeUser()))
		const project = await makeProject({ members: team, items: 1, input: { ...adaptive(1, 1, 0.99), leaseSeconds: 60 } })
		const t0 = new Date()
		const late = (await claimNext({ slug: project.slug, user: asUser(team[0]!), now: t0 }))!
		const later = new Date(t0.getTime() + 120_000)
		await judge(project.slug, team[1]!, 'first', later)
		expect(await prisma.item.findFirstOrThrow({ where: { projectId: project.id } })).toMatchObject({
			judgmentCount: 1,
			isOpen: false,
		})
		const refused = await errorOf(
			submitJudgment({ leaseId: late.lease.id, user: asUser(team[0]!), input: vote(late, 'late'), now: later }),
		)
		expect(refused.status).toBe(409)
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(1)
	})
})

test('many annotators at once: no item ever gets more than max judgments, and each ends closed by the rule', async () => {
	const team = await Promise.all(Array.from({ length: 12 }, () => makeUser()))
	// Confidence 0.999 is out of reach of default reliabilities in three votes, so every item runs to max.
	const project = await makeProject({ members: team, items: 20, input: adaptive(2, 3, 0.999) })
	await Promise.all(
		team.map(async (annotator, index) => {
			const user = asUser(annotator)
			for (let n = 0; ; n++) {
				const assignment = await claimNext({ slug: project.slug, user })
				if (!assignment) {
					// Nothing free this instant, but an item another annotator is judging may ask for one more afterwards.
					const pending = await prisma.item.count({
						where: { projectId: project.id, isOpen: true, leases: { none: { userId: user.id } } },
					})
					if (pending === 0) break
					continue
				}
				await submitJudgment({
					leaseId: assignment.lease.id,
					user,
					input: vote(assignment, `${annotator.id}-${n}`, index % 2 ? 'first' : 'second'),
				})
			}
		}),
	)
	const items = await prisma.item.findMany({
		where: { projectId: project.id },
		select: { id: true, judgmentCount: true, isOpen: true },
	})
	expect(items.every((item) => item.judgmentCount === 3 && !item.isOpen)).toBe(true)
	const stored = await prisma.judgment.groupBy({ by: ['itemId'], where: { projectId: project.id }, _count: true })
	expect(stored.map((row) => row._count)).toEqual(items.map(() => 3))
})

describe('reopening when reliabilities are re-estimated', () => {
	test('a closed item whose confidence falls under the target reopens for one more judgment, audited', async () => {
		const team = await Promise.all(Array.from({ length: 4 }, () => makeUser()))
		const project = await makeProject({ members: team, items: 1, input: adaptive(2, 4, 0.9) })
		await judge(project.slug, team[0]!, 'first')
		await judge(project.slug, team[1]!, 'first')
		const closed = await prisma.item.findFirstOrThrow({ where: { projectId: project.id } })
		expect(closed).toMatchObject({ isOpen: false, judgmentCount: 2 })
		const before = confidenceOf(closed.dsLogPost)

		// The two turn out to answer at random.
		const uniform = Array.from({ length: 16 }, () => 0.25)
		const { reopened } = await refreshAdaptiveItems({
			projectId: project.id,
			estimates: {
				classes: 4,
				prior: [0.25, 0.25, 0.25, 0.25],
				annotators: team.slice(0, 2).map((u) => ({ userId: u.id, judgments: 500, confusion: uniform })),
			},
		})
		expect(reopened).toEqual([closed.id])
		const item = await prisma.item.findFirstOrThrow({ where: { projectId: project.id } })
		expect(item).toMatchObject({ isOpen: true, targetCount: 3, completedAt: null })
		const after = confidenceOf(item.dsLogPost)
		expect(after).toBeLessThan(0.9)
		const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'item.reopened', targetId: closed.id } })
		expect(audit.data).toMatchObject({ judgments: 2, target: 3 })
		expect((audit.data as { oldConfidence: number }).oldConfidence).toBeCloseTo(before, 9)
		expect((audit.data as { newConfidence: number }).newConfidence).toBeCloseTo(after, 9)

		// One more judgment is taken, and no second.
		await judge(project.slug, team[2]!, 'first')
		expect(await prisma.item.findFirstOrThrow({ where: { projectId: project.id } })).toMatchObject({ judgmentCount: 3 })
	})

	test('an item at its maximum stays closed, and the analytics refresh stores reliabilities for the submit to read', async () => {
		const team = await Promise.all(Array.from({ length: 3 }, () => makeUser()))
		const project = await makeProject({ members: team, items: 1, input: adaptive(2, 2, 0.9) })
		await judge(project.slug, team[0]!, 'first')
		await judge(project.slug, team[1]!, 'second')
		expect(await prisma.item.findFirstOrThrow({ where: { projectId: project.id } })).toMatchObject({
			isOpen: false,
			judgmentCount: 2,
		})
		const result = await refreshProjectAnalytics({ projectId: project.id })
		expect(result.reopened).toBe(0)
		const rows = await prisma.annotatorReliability.findMany({ where: { projectId: project.id } })
		expect(rows.map((row) => row.userId).sort()).toEqual([team[0]!.id, team[1]!.id].sort())
		expect(rows.every((row) => row.logConf.length === 16 && row.judgments === 1)).toBe(true)
		const stored = await prisma.project.findUniqueOrThrow({ where: { id: project.id } })
		expect(stored.dsLogPrior).toHaveLength(4)
		expect(stored.dsLogPrior.every((x, k) => Number.isFinite(x) && x <= 0 && x >= logPrior([0, 0, 0, 0])[k]!)).toBe(
			true,
		)
		expect(await prisma.auditEvent.count({ where: { action: 'item.reopened', projectId: project.id } })).toBe(0)
	})
})

describe('changing the policy and reading what it spent', () => {
	test('switching a project to adaptive re-evaluates its items; the dashboard figures count judgments per closed item', async () => {
		const admin = await makeUser({ roles: ['admin'] })
		const team = await Promise.all(Array.from({ length: 3 }, () => makeUser()))
		const project = await makeProject({ members: team, items: 2, input: { overlap: 3 } as never })
		await judge(project.slug, team[0]!, 'first')
		await judge(project.slug, team[1]!, 'first')
		await judge(project.slug, team[0]!, 'first')
		await judge(project.slug, team[1]!, 'first')
		expect(await prisma.item.count({ where: { projectId: project.id, isOpen: true } })).toBe(2)

		// Two judgments each and a maximum of 2: closed, whatever their confidence.
		await updateProject({ slug: project.slug, user: asUser(admin), input: adaptive(2, 2, 0.9) })
		expect(await prisma.item.count({ where: { projectId: project.id, isOpen: false } })).toBe(2)
		const updated = await prisma.project.findUniqueOrThrow({ where: { id: project.id } })
		const spend = await getOverlapSpend({
			projectId: project.id,
			policy: { mode: 'adaptive', min: 2, max: 2, confidence: 0.9 },
		})
		expect(spend).toMatchObject({ closedItems: 2, spent: 4, mean: 2, fixedEquivalent: 4, fixedOverlap: 2 })
		expect(spend.histogram).toEqual([
			{ judgments: 1, items: 0 },
			{ judgments: 2, items: 2 },
		])
		expect(updated).toMatchObject({ overlapMode: 'adaptive', overlap: 2, overlapMax: 2 })

		await updateProject({ slug: project.slug, user: asUser(admin), input: { overlap: 3 } })
		expect(await prisma.item.count({ where: { projectId: project.id, isOpen: true, targetCount: null } })).toBe(2)
		const ranking = await makeProject({ input: { taskType: 'ranking' } })
		const refused = await errorOf(
			updateProject({ slug: ranking.slug, user: asUser(admin), input: adaptive(2, 4, 0.9) }),
		)
		expect(refused.fieldErrors).toEqual([{ path: 'overlap', message: expect.stringMatching(/pairwise/) }])
	})
})
