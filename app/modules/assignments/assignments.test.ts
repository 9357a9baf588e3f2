import { describe, expect, test } from 'vitest'
import type { Role } from '#app/generated/prisma/enums.ts'
import { prisma } from '#app/utils/db.server.ts'
import { type AppError } from '#app/utils/errors.ts'
import { addItems, makeItems, makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { claimNext } from './claim-next.server.ts'
import { editJudgment } from './edit-judgment.server.ts'
import { renewLease } from './renew-lease.server.ts'
import { saveDraft } from './save-draft.server.ts'
import type { Assignment } from './serialize-assignment.ts'
import { skipLease } from './skip-lease.server.ts'
import { submitJudgment } from './submit-judgment.server.ts'
import { workAvailability } from './work-availability.server.ts'

const asUser = (user: { id: string; email: string; displayName: string; roles: Role[] }) => ({
	id: user.id,
	email: user.email,
	displayName: user.displayName,
	roles: user.roles,
})

function pairwiseVote(assignment: Assignment, key: string) {
	const [a, b] = assignment.item.responses.map((r) => r.id)
	return { ranking: [[a!], [b!]], strength: 2, idempotencyKey: key }
}

async function errorOf(promise: Promise<unknown>) {
	try {
		await promise
	} catch (error) {
		return error as AppError
	}
	throw new Error('expected an error')
}

describe('claimNext', () => {
	test('never serves the same item twice to one person and respects overlap', async () => {
		const annotators = await Promise.all([1, 2, 3, 4].map(() => makeUser()))
		const project = await makeProject({ members: annotators, items: 3, input: { overlap: 2 } })
		const seen = new Map<string, string[]>()
		for (const annotator of annotators) {
			const items: string[] = []
			for (;;) {
				const assignment = await claimNext({ slug: project.slug, user: asUser(annotator) })
				if (!assignment) break
				items.push(assignment.item.id)
				await submitJudgment({
					leaseId: assignment.lease.id,
					user: asUser(annotator),
					input: pairwiseVote(assignment, `${annotator.id}-${items.length}`),
				})
			}
			seen.set(annotator.id, items)
			expect(new Set(items).size).toBe(items.length)
		}
		const counts = await prisma.item.findMany({
			where: { projectId: project.id },
			select: { judgmentCount: true, isOpen: true },
		})
		expect(counts.map((c) => c.judgmentCount)).toEqual([2, 2, 2])
		expect(counts.every((c) => !c.isOpen)).toBe(true)
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(6)
	})

	test('returns the same open lease on a second call (a reload resumes the item)', async () => {
		const annotator = await makeUser()
		const project = await makeProject({ members: [annotator], items: 5 })
		const first = await claimNext({ slug: project.slug, user: asUser(annotator) })
		const second = await claimNext({ slug: project.slug, user: asUser(annotator) })
		expect(second?.lease.id).toBe(first?.lease.id)
		expect(second?.item.responses.map((r) => r.id)).toEqual(first?.item.responses.map((r) => r.id))
	})

	test('hides model names unless the project shows them, and records the display order', async () => {
		const annotator = await makeUser()
		const project = await makeProject({ members: [annotator], items: 1 })
		const assignment = (await claimNext({ slug: project.slug, user: asUser(annotator) }))!
		expect(assignment.item.responses.every((r) => !('model' in r))).toBe(true)
		const lease = await prisma.lease.findUniqueOrThrow({ where: { id: assignment.lease.id } })
		expect(lease.displayOrder).toEqual(assignment.item.responses.map((r) => r.id))
		expect([...lease.displayOrder].sort()).toEqual(['r1', 'r2'])
	})

	test('non-members are refused and paused projects say so', async () => {
		const member = await makeUser()
		const outsider = await makeUser()
		const project = await makeProject({ members: [member], items: 1 })
		expect((await errorOf(claimNext({ slug: project.slug, user: asUser(outsider) }))).status).toBe(404)
		await prisma.project.update({ where: { id: project.id }, data: { status: 'paused' } })
		const paused = await errorOf(claimNext({ slug: project.slug, user: asUser(member) }))
		expect(paused.status).toBe(409)
		expect(paused.message).toMatch(/paused/)
	})

	test('an abandoned lease is re-served after it expires, and not before', async () => {
		const [a, b] = await Promise.all([makeUser(), makeUser()])
		const project = await makeProject({ members: [a!, b!], items: 1, input: { overlap: 1, leaseSeconds: 60 } })
		const t0 = new Date('2030-01-01T00:00:00Z')
		const leaseA = await claimNext({ slug: project.slug, user: asUser(a!), now: t0 })
		expect(leaseA).not.toBeNull()
		expect(await claimNext({ slug: project.slug, user: asUser(b!), now: new Date(t0.getTime() + 59_000) })).toBeNull()
		const leaseB = await claimNext({ slug: project.slug, user: asUser(b!), now: new Date(t0.getTime() + 61_000) })
		expect(leaseB?.item.id).toBe(leaseA?.item.id)
	})

	test('renewing keeps the lease alive past its original expiry', async () => {
		const [a, b] = await Promise.all([makeUser(), makeUser()])
		const project = await makeProject({ members: [a!, b!], items: 1, input: { overlap: 1, leaseSeconds: 60 } })
		const t0 = new Date('2030-01-01T00:00:00Z')
		const lease = (await claimNext({ slug: project.slug, user: asUser(a!), now: t0 }))!
		await renewLease({ leaseId: lease.lease.id, user: asUser(a!), now: new Date(t0.getTime() + 50_000) })
		expect(await claimNext({ slug: project.slug, user: asUser(b!), now: new Date(t0.getTime() + 90_000) })).toBeNull()
		const late = await errorOf(
			renewLease({ leaseId: lease.lease.id, user: asUser(a!), now: new Date(t0.getTime() + 200_000) }),
		)
		expect(late.status).toBe(409)
	})

	test('a skip releases the item to others and it is never re-served to the skipper', async () => {
		const [a, b] = await Promise.all([makeUser(), makeUser()])
		const project = await makeProject({ members: [a!, b!], items: 1, input: { overlap: 1 } })
		const lease = (await claimNext({ slug: project.slug, user: asUser(a!) }))!
		await skipLease({ leaseId: lease.lease.id, user: asUser(a!), input: { reason: 'I do not read Rust' } })
		expect(await claimNext({ slug: project.slug, user: asUser(a!) })).toBeNull()
		expect((await claimNext({ slug: project.slug, user: asUser(b!) }))?.item.id).toBe(lease.item.id)
		expect(await prisma.skip.findFirst({ where: { leaseId: lease.lease.id } })).toMatchObject({
			reason: 'I do not read Rust',
		})
	})

	test('with nothing to claim, availability says whether others hold the rest and until when', async () => {
		const [a, b] = await Promise.all([makeUser(), makeUser()])
		const project = await makeProject({ members: [a!, b!], items: 1, input: { overlap: 1, leaseSeconds: 60 } })
		const t0 = new Date('2030-01-01T00:00:00Z')
		const lease = (await claimNext({ slug: project.slug, user: asUser(a!), now: t0 }))!
		const later = new Date(t0.getTime() + 10_000)
		expect(await claimNext({ slug: project.slug, user: asUser(b!), now: later })).toBeNull()
		expect(await workAvailability({ projectId: project.id, userId: b!.id, overlap: 1, now: later })).toEqual({
			waitingOnOthers: true,
			retryAt: lease.lease.expiresAt,
		})
		await submitJudgment({ leaseId: lease.lease.id, user: asUser(a!), input: pairwiseVote(lease, 'done'), now: later })
		expect(await workAvailability({ projectId: project.id, userId: b!.id, overlap: 1, now: later })).toEqual({
			waitingOnOthers: false,
			retryAt: null,
		})
	})

	test('a draft is kept on the open lease and comes back with it; only its owner may save one', async () => {
		const [a, b] = await Promise.all([makeUser(), makeUser()])
		const project = await makeProject({ members: [a!, b!], items: 2 })
		const lease = (await claimNext({ slug: project.slug, user: asUser(a!) }))!
		expect(lease.draft).toBeNull()
		await saveDraft({ leaseId: lease.lease.id, user: asUser(a!), draft: { ranking: [['r2'], ['r1']] } })
		expect((await claimNext({ slug: project.slug, user: asUser(a!) }))?.draft).toEqual({ ranking: [['r2'], ['r1']] })
		expect((await errorOf(saveDraft({ leaseId: lease.lease.id, user: asUser(b!), draft: {} }))).status).toBe(404)
		expect(
			(await errorOf(saveDraft({ leaseId: lease.lease.id, user: asUser(a!), draft: 'x'.repeat(200_001) }))).status,
		).toBe(413)
		await saveDraft({ leaseId: lease.lease.id, user: asUser(a!), draft: null })
		expect((await claimNext({ slug: project.slug, user: asUser(a!) }))?.draft).toBeNull()
	})

	test('gold items are mixed in and served to each person at most once', async () => {
		const annotator = await makeUser()
		const project = await makeProject({ members: [annotator], items: 3, input: { goldRate: 0.5 } })
		await addItems({ projectId: project.id, items: makeItems({ count: 1, prefix: 'gold', gold: true }) })
		const first = (await claimNext({ slug: project.slug, user: asUser(annotator), random: () => 0 }))!
		expect(first.item.externalId).toBe('gold-1')
		await submitJudgment({ leaseId: first.lease.id, user: asUser(annotator), input: pairwiseVote(first, 'g1') })
		const second = (await claimNext({ slug: project.slug, user: asUser(annotator), random: () => 0 }))!
		expect(second.item.externalId).toMatch(/^item-/)
	})
})

describe('submitJudgment', () => {
	test('a replayed submission returns the original without a second judgment', async () => {
		const annotator = await makeUser()
		const project = await makeProject({ members: [annotator], items: 2 })
		const assignment = (await claimNext({ slug: project.slug, user: asUser(annotator) }))!
		const input = pairwiseVote(assignment, 'same-key')
		const first = await submitJudgment({ leaseId: assignment.lease.id, user: asUser(annotator), input })
		const again = await submitJudgment({ leaseId: assignment.lease.id, user: asUser(annotator), input })
		expect(first.replay).toBe(false)
		expect(again).toEqual({ judgment: first.judgment, replay: true })
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(1)
		expect((await prisma.item.findUniqueOrThrow({ where: { id: assignment.item.id } })).judgmentCount).toBe(1)
	})

	test('concurrent double submits with one key store one judgment', async () => {
		const annotator = await makeUser()
		const project = await makeProject({ members: [annotator], items: 1 })
		const assignment = (await claimNext({ slug: project.slug, user: asUser(annotator) }))!
		const input = pairwiseVote(assignment, 'race-key')
		const results = await Promise.all(
			[1, 2, 3].map(() => submitJudgment({ leaseId: assignment.lease.id, user: asUser(annotator), input })),
		)
		expect(new Set(results.map((r) => r.judgment.id)).size).toBe(1)
		expect(results.filter((r) => !r.replay)).toHaveLength(1)
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(1)
	})

	test('stores the display order, active time and guideline version', async () => {
		const annotator = await makeUser()
		const project = await makeProject({ members: [annotator], items: 1, input: { guidelines: '# Be kind' } })
		const assignment = (await claimNext({ slug: project.slug, user: asUser(annotator) }))!
		const { judgment } = await submitJudgment({
			leaseId: assignment.lease.id,
			user: asUser(annotator),
			input: { ...pairwiseVote(assignment, 'k'), activeMs: 12_345, rationale: '  clearer  ' },
		})
		const stored = await prisma.judgment.findUniqueOrThrow({ where: { id: judgment.id }, include: { revisions: true } })
		expect(stored.displayOrder).toEqual(assignment.item.responses.map((r) => r.id))
		expect(stored.activeMs).toBe(12_345)
		expect(stored.guidelineVersion).toBe(1)
		expect(stored.rationale).toBe('clearer')
		expect(stored.revisions).toHaveLength(1)
	})

	test('an expired lease is still accepted while the item needs judgments, else 409', async () => {
		const [a, b, c] = await Promise.all([makeUser(), makeUser(), makeUser()])
		const project = await makeProject({ members: [a!, b!, c!], items: 1, input: { overlap: 1, leaseSeconds: 60 } })
		const t0 = new Date('2030-01-01T00:00:00Z')
		const late = (await claimNext({ slug: project.slug, user: asUser(a!), now: t0 }))!
		const accepted = await submitJudgment({
			leaseId: late.lease.id,
			user: asUser(a!),
			input: pairwiseVote(late, 'late-a'),
			now: new Date(t0.getTime() + 120_000),
		})
		expect(accepted.replay).toBe(false)

		const project2 = await makeProject({ members: [a!, b!], items: 1, input: { overlap: 1, leaseSeconds: 60 } })
		const stale = (await claimNext({ slug: project2.slug, user: asUser(a!), now: t0 }))!
		const fresh = (await claimNext({ slug: project2.slug, user: asUser(b!), now: new Date(t0.getTime() + 61_000) }))!
		await submitJudgment({
			leaseId: fresh.lease.id,
			user: asUser(b!),
			input: pairwiseVote(fresh, 'fresh-b'),
			now: new Date(t0.getTime() + 62_000),
		})
		const refused = await errorOf(
			submitJudgment({
				leaseId: stale.lease.id,
				user: asUser(a!),
				input: pairwiseVote(stale, 'stale-a'),
				now: new Date(t0.getTime() + 63_000),
			}),
		)
		expect(refused.status).toBe(409)
		expect(refused.message).toMatch(/expired/)
		expect(await prisma.judgment.count({ where: { projectId: project2.id } })).toBe(1)
	})

	describe('validation, one rule each', () => {
		async function setup(
			input: NonNullable<NonNullable<Parameters<typeof makeProject>[0]>['input']> = {},
			responses?: number,
		) {
			const annotator = await makeUser()
			const project = await makeProject({ members: [annotator], items: 1, responses, input })
			const assignment = (await claimNext({ slug: project.slug, user: asUser(annotator) }))!
			const submit = (body: Record<string, unknown>) =>
				errorOf(
					submitJudgment({
						leaseId: assignment.lease.id,
						user: asUser(annotator),
						input: { idempotencyKey: 'k', ...body },
					}),
				)
			return { assignment, submit }
		}

		test('every response must be ranked exactly once', async () => {
			const { submit } = await setup()
			const missing = await submit({ ranking: [['r1']], strength: 1 })
			expect(missing.status).toBe(422)
			expect(missing.fieldErrors).toContainEqual({ path: 'ranking', message: expect.stringContaining('missing r2') })
			const twice = await submit({ ranking: [['r1'], ['r1', 'r2']], strength: 1 })
			expect(twice.fieldErrors?.[0]?.message).toMatch(/more than once/)
			const unknown = await submit({ ranking: [['r1'], ['zz']], strength: 1 })
			expect(unknown.fieldErrors?.[0]).toMatchObject({ path: 'ranking[1][0]' })
		})

		test('strength is required for a pairwise preference, not for a tie', async () => {
			const { submit, assignment } = await setup()
			expect((await submit({ ranking: [['r1'], ['r2']] })).fieldErrors).toContainEqual({
				path: 'strength',
				message: expect.stringContaining('required'),
			})
			const outOfRange = await submit({ ranking: [['r1'], ['r2']], strength: 7 })
			expect(outOfRange.fieldErrors?.[0]?.path).toBe('strength')
			expect(assignment).toBeTruthy()
		})

		test('criteria values must be on their scale', async () => {
			const { submit } = await setup({ criteria: [{ name: 'helpfulness', description: '', min: 1, max: 5 }] })
			const error = await submit({ ranking: [['r1'], ['r2']], strength: 1, criteria: { r1: { helpfulness: 9 } } })
			expect(error.fieldErrors).toEqual([
				{ path: 'criteria.r1.helpfulness', message: 'must be a whole number from 1 to 5' },
			])
			const unknown = await submit({ ranking: [['r1'], ['r2']], strength: 1, criteria: { r1: { style: 3 } } })
			expect(unknown.fieldErrors?.[0]?.message).toMatch(/unknown criterion/)
		})

		test('flags must be the project’s flags', async () => {
			const { submit } = await setup({ flags: ['unsafe'] })
			const error = await submit({ ranking: [['r1'], ['r2']], strength: 1, flags: { r2: ['spicy'] } })
			expect(error.fieldErrors?.[0]).toMatchObject({ path: 'flags.r2[0]' })
		})

		test('the rationale is required when the project says so', async () => {
			const { submit } = await setup({ rationale: 'required' })
			const error = await submit({ ranking: [['r1'], ['r2']], strength: 1, rationale: '   ' })
			expect(error.fieldErrors).toEqual([{ path: 'rationale', message: 'a rationale is required for this project' }])
		})

		test('both-bad needs a single tier, and ranking projects take no strength', async () => {
			const pair = await setup()
			expect(
				(await pair.submit({ ranking: [['r1'], ['r2']], strength: 1, bothBad: true })).fieldErrors?.[0]?.path,
			).toBe('bothBad')
			const ranking = await setup({ taskType: 'ranking', useStrength: false }, 4)
			const error = await ranking.submit({ ranking: [['r1'], ['r2', 'r3'], ['r4']], strength: 2 })
			expect(error.fieldErrors?.[0]?.path).toBe('strength')
		})

		test('a body of the wrong shape names the field', async () => {
			const { submit } = await setup()
			const error = await submit({ ranking: 'r1>r2' })
			expect(error.status).toBe(422)
			expect(error.fieldErrors?.[0]?.path).toBe('ranking')
			const nested = await submit({ ranking: [[]] })
			expect(nested.fieldErrors).toEqual([{ path: 'ranking[0]', message: 'A tier needs at least one response id' }])
		})
	})
})

describe('editJudgment', () => {
	test('an edit appends a revision and the latest counts', async () => {
		const annotator = await makeUser()
		const project = await makeProject({ members: [annotator], items: 1 })
		const assignment = (await claimNext({ slug: project.slug, user: asUser(annotator) }))!
		const { judgment } = await submitJudgment({
			leaseId: assignment.lease.id,
			user: asUser(annotator),
			input: { ranking: [['r1'], ['r2']], strength: 3, idempotencyKey: 'a' },
		})
		const edited = await editJudgment({
			judgmentId: judgment.id,
			user: asUser(annotator),
			input: { ranking: [['r2'], ['r1']], strength: 1 },
		})
		expect(edited.judgment.revision).toBe(2)
		expect(edited.judgment.ranking).toEqual([['r2'], ['r1']])
		const revisions = await prisma.judgmentRevision.findMany({
			where: { judgmentId: judgment.id },
			orderBy: { revision: 'asc' },
		})
		expect(revisions.map((r) => r.ranking)).toEqual([
			[['r1'], ['r2']],
			[['r2'], ['r1']],
		])
		const other = await makeUser()
		expect(
			(
				await errorOf(
					editJudgment({
						judgmentId: judgment.id,
						user: asUser(other),
						input: { ranking: [['r1'], ['r2']], strength: 1 },
					}),
				)
			).status,
		).toBe(404)
		const invalid = await errorOf(
			editJudgment({ judgmentId: judgment.id, user: asUser(annotator), input: { ranking: [['r1'], []] } }),
		)
		expect(invalid.fieldErrors).toEqual([{ path: 'ranking[1]', message: 'A tier needs at least one response id' }])
	})
})
