import { describe, expect, test } from 'vitest'
import { revokeApiToken } from '#app/modules/auth/api-token.server.ts'
import { bearerCredential, sessionCredential } from '#app/modules/auth/credential.server.ts'
import { disableUser } from '#app/modules/users/users.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { mayStillClaim } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUserWithSession, makeUserWithToken } from '#tests/factories/users.ts'
import { claimNextFor } from './claim-next-for.server.ts'
import type { Assignment } from './serialize-assignment.ts'
import { submitAndNext } from './submit-and-next.server.ts'

const prefer = (assignment: Assignment) => {
	const [a, b] = assignment.item.responses.map((r) => r.id)
	return { ranking: [[a!], [b!]], strength: 1 }
}

async function refusal(promise: Promise<unknown>) {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	)
	expect(error).toBeInstanceOf(AppError)
	return error as AppError
}

test('many annotators in the one-round-trip loop at once: exactly overlap judgments per item, none repeated, all stored', async () => {
	const annotators = await Promise.all(Array.from({ length: 12 }, () => makeUserWithToken()))
	const project = await makeProject({ members: annotators.map((a) => a.user), items: 40, input: { overlap: 3 } })
	const acknowledged: string[] = []

	await Promise.all(
		annotators.map(async ({ user, token }) => {
			const credential = bearerCredential(`Bearer ${token}`)
			let { assignment } = await claimNextFor({ credential, slug: project.slug })
			for (let n = 0; ; n++) {
				if (!assignment) {
					if (!(await mayStillClaim({ projectId: project.id, userId: user.id }))) break
					;({ assignment } = await claimNextFor({ credential, slug: project.slug }))
					continue
				}
				const [a, b] = assignment.item.responses.map((r) => r.id)
				const input = {
					ranking: n % 3 === 0 ? [[a!, b!]] : [[a!], [b!]],
					strength: n % 3 === 0 ? null : 1,
					idempotencyKey: `${user.id}-${n}`,
				}
				const result = await submitAndNext({ credential, leaseId: assignment.lease.id, input, next: true })
				expect(result.replay).toBe(false)
				acknowledged.push(result.judgment.id)
				assignment = result.next?.state === 'ready' ? result.next.assignment : null
			}
		}),
	)

	const items = await prisma.item.findMany({
		where: { projectId: project.id },
		select: { judgmentCount: true, isOpen: true },
	})
	expect(items.every((item) => item.judgmentCount === 3 && !item.isOpen)).toBe(true)
	const stored = await prisma.judgment.findMany({
		where: { projectId: project.id },
		select: { id: true, itemId: true, userId: true },
	})
	expect(stored).toHaveLength(120)
	expect(new Set(stored.map((j) => `${j.itemId}:${j.userId}`)).size).toBe(120)
	expect(stored.map((j) => j.id).sort()).toEqual([...acknowledged].sort())
	expect(await prisma.lease.count({ where: { projectId: project.id, state: 'active' } })).toBe(0)
})

test('the same submission sent twice at once is stored once, and both answers carry the same next lease', async () => {
	const { user, token } = await makeUserWithToken()
	const project = await makeProject({ members: [user], items: 5, input: { overlap: 1 } })
	const credential = bearerCredential(`Bearer ${token}`)
	const { assignment } = await claimNextFor({ credential, slug: project.slug })
	const input = { ...prefer(assignment!), idempotencyKey: 'twice' }

	const answers = await Promise.all(
		[1, 2, 3].map(() => submitAndNext({ credential, leaseId: assignment!.lease.id, input, next: true })),
	)

	expect(answers.filter((a) => !a.replay)).toHaveLength(1)
	expect(new Set(answers.map((a) => a.judgment.id)).size).toBe(1)
	const nextLeases = answers.map((a) => (a.next?.state === 'ready' ? a.next.assignment.lease.id : null))
	expect(nextLeases[0]).not.toBeNull()
	expect(new Set(nextLeases).size).toBe(1)
	expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(1)
	expect(await prisma.lease.count({ where: { projectId: project.id } })).toBe(2)
})

test('a replay returns the next lease while it is still the annotator’s, and never claims another item', async () => {
	const { user, token } = await makeUserWithToken()
	const project = await makeProject({ members: [user], items: 5, input: { overlap: 1 } })
	const credential = bearerCredential(`Bearer ${token}`)
	const { assignment } = await claimNextFor({ credential, slug: project.slug })
	const input = { ...prefer(assignment!), idempotencyKey: 'replayed' }
	const first = await submitAndNext({ credential, leaseId: assignment!.lease.id, input, next: true })
	expect(first.next?.state).toBe('ready')
	const nextLease = first.next?.state === 'ready' ? first.next.assignment.lease.id : ''

	const again = await submitAndNext({ credential, leaseId: assignment!.lease.id, input, next: true })
	expect(again.replay).toBe(true)
	expect(again.judgment.id).toBe(first.judgment.id)
	expect(again.next?.state === 'ready' && again.next.assignment.lease.id).toBe(nextLease)

	await prisma.lease.update({ where: { id: nextLease }, data: { state: 'skipped', closedAt: new Date() } })
	const afterSkip = await submitAndNext({ credential, leaseId: assignment!.lease.id, input, next: true })
	expect(afterSkip.replay).toBe(true)
	expect(afterSkip.next).toEqual({ state: 'none' })
	expect(await prisma.lease.count({ where: { projectId: project.id } })).toBe(2)
})

test('without next nothing is claimed; a paused project stores the judgment and hands out nothing', async () => {
	const { user, token } = await makeUserWithToken()
	const project = await makeProject({ members: [user], items: 5, input: { overlap: 1 } })
	const credential = bearerCredential(`Bearer ${token}`)
	const first = (await claimNextFor({ credential, slug: project.slug })).assignment!
	const plain = await submitAndNext({
		credential,
		leaseId: first.lease.id,
		input: { ...prefer(first), idempotencyKey: 'a' },
		next: false,
	})
	expect(plain.next).toBeNull()
	expect(await prisma.lease.count({ where: { projectId: project.id } })).toBe(1)

	const second = (await claimNextFor({ credential, slug: project.slug })).assignment!
	await prisma.project.update({ where: { id: project.id }, data: { status: 'paused' } })
	const paused = await submitAndNext({
		credential,
		leaseId: second.lease.id,
		input: { ...prefer(second), idempotencyKey: 'b' },
		next: true,
	})
	expect(paused.replay).toBe(false)
	expect(paused.next).toEqual({ state: 'project_paused' })
})

describe('the judgment is held to the project’s current rules', () => {
	test('rules changed since the last claim: the judgment is validated again and nothing is stored', async () => {
		const { user, token } = await makeUserWithToken()
		const project = await makeProject({ members: [user], items: 3, input: { rationale: 'optional' } })
		const credential = bearerCredential(`Bearer ${token}`)
		const { assignment } = await claimNextFor({ credential, slug: project.slug })
		await prisma.project.update({ where: { id: project.id }, data: { rationale: 'required' } })

		const error = await refusal(
			submitAndNext({
				credential,
				leaseId: assignment!.lease.id,
				input: { ...prefer(assignment!), idempotencyKey: 'k' },
				next: true,
			}),
		)
		expect(error.status).toBe(422)
		expect(error.fieldErrors).toEqual([{ path: 'rationale', message: 'a rationale is required for this project' }])
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(0)

		const ok = await submitAndNext({
			credential,
			leaseId: assignment!.lease.id,
			input: { ...prefer(assignment!), rationale: 'A is right', idempotencyKey: 'k' },
			next: true,
		})
		expect(ok.replay).toBe(false)
	})

	test('a ranking that does not name the lease’s responses is refused with the field', async () => {
		const { user, token } = await makeUserWithToken()
		const project = await makeProject({ members: [user], items: 3 })
		const credential = bearerCredential(`Bearer ${token}`)
		const { assignment } = await claimNextFor({ credential, slug: project.slug })
		const [a] = assignment!.item.responses.map((r) => r.id)
		const error = await refusal(
			submitAndNext({
				credential,
				leaseId: assignment!.lease.id,
				input: { ranking: [[a!], ['zz']], strength: 1, idempotencyKey: 'k' },
				next: true,
			}),
		)
		expect(error.status).toBe(422)
		expect(error.fieldErrors?.map((e) => e.path)).toEqual(['ranking[1][0]', 'ranking'])
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(0)
	})
})

describe('the credential is checked in the same round trip, every time', () => {
	test('a revoked token is refused on the very next request', async () => {
		const { user, token } = await makeUserWithToken()
		const project = await makeProject({ members: [user], items: 5 })
		const credential = bearerCredential(`Bearer ${token}`)
		const { assignment } = await claimNextFor({ credential, slug: project.slug })
		const tokenRow = await prisma.apiToken.findFirstOrThrow({ where: { userId: user.id } })
		await revokeApiToken({ userId: user.id, tokenId: tokenRow.id })

		const error = await refusal(
			submitAndNext({
				credential,
				leaseId: assignment!.lease.id,
				input: { ...prefer(assignment!), idempotencyKey: 'k' },
				next: true,
			}),
		)
		expect(error.status).toBe(401)
		expect((await refusal(claimNextFor({ credential, slug: project.slug }))).status).toBe(401)
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(0)
	})

	test('a disabled user is refused on the very next request, by token and by session', async () => {
		const { user, token } = await makeUserWithToken()
		const withSession = await makeUserWithSession()
		const project = await makeProject({ members: [user, withSession.user], items: 5 })
		const byToken = bearerCredential(`Bearer ${token}`)
		const bySession = sessionCredential(withSession.cookie)!
		const tokenClaim = (await claimNextFor({ credential: byToken, slug: project.slug })).assignment!
		const sessionClaim = (await claimNextFor({ credential: bySession, slug: project.slug })).assignment!
		await disableUser({ userId: user.id })
		await disableUser({ userId: withSession.user.id })

		expect(
			(
				await refusal(
					submitAndNext({
						credential: byToken,
						leaseId: tokenClaim.lease.id,
						input: { ...prefer(tokenClaim), idempotencyKey: 't' },
						next: true,
					}),
				)
			).status,
		).toBe(401)
		expect(
			(
				await refusal(
					submitAndNext({
						credential: bySession,
						leaseId: sessionClaim.lease.id,
						input: { ...prefer(sessionClaim), idempotencyKey: 's' },
						next: true,
					}),
				)
			).status,
		).toBe(401)
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(0)
	})

	test('a wrong secret for a real token id is refused', async () => {
		const { user, token } = await makeUserWithToken()
		const project = await makeProject({ members: [user], items: 1 })
		const forged = bearerCredential(`Bearer ${token.slice(0, -4)}aaaa`)
		expect((await refusal(claimNextFor({ credential: forged, slug: project.slug }))).status).toBe(401)
	})
})
