import { describe, expect, test } from 'vitest'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import { action as submitAction } from '#app/routes/annotate-submit.ts'
import { prisma } from '#app/utils/db.server.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUserWithSession } from '#tests/factories/users.ts'

type Answer = { judgmentId: string; replay: boolean; work: { state: string } | null; progress: { mine: number } | null }

function post(slug: string, cookie: string | undefined, body: unknown) {
	const request = apiRequest(`/projects/${slug}/annotate/submit`, {
		method: 'POST',
		body,
		headers: cookie ? { Cookie: cookie } : {},
	})
	return callRoute(submitAction, request, { slug })
}

describe('the workspace outbox’s submit endpoint', () => {
	test('201 stores the judgment and answers the next item; the same key again is a 200 replay that stores nothing', async () => {
		const { user, cookie } = await makeUserWithSession()
		const project = await makeProject({
			members: [{ id: user.id }],
			items: 2,
			input: { criteria: [], flags: [], useStrength: false },
		})
		const assignment = (await claimNext({ slug: project.slug, user }))!
		const body = {
			leaseId: assignment.lease.id,
			judgment: { ranking: [assignment.item.responses.map((r) => r.id)], idempotencyKey: 'key-1' },
		}

		expect((await post(project.slug, undefined, body)).status).toBe(401)
		const first = await post(project.slug, cookie, body)
		expect(first.status).toBe(201)
		const answer = (await first.json()) as Answer
		expect(answer).toMatchObject({ replay: false, work: { state: 'ready' }, progress: { mine: 1 } })
		const again = await post(project.slug, cookie, body)
		expect(again.status).toBe(200)
		expect(await again.json()).toMatchObject({ judgmentId: answer.judgmentId, replay: true })
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(1)
	})

	test('a late judgment on an item that filled up is a 409 with reason item_complete; a stranger gets no access', async () => {
		const { user, cookie } = await makeUserWithSession()
		const other = await makeUserWithSession()
		const stranger = await makeUserWithSession()
		const project = await makeProject({
			members: [{ id: user.id }, { id: other.user.id }],
			items: 1,
			input: { overlap: 1, criteria: [], flags: [], useStrength: false },
		})
		const mine = (await claimNext({ slug: project.slug, user }))!
		await prisma.lease.update({ where: { id: mine.lease.id }, data: { expiresAt: new Date(Date.now() - 60_000) } })
		const theirs = (await claimNext({ slug: project.slug, user: other.user }))!
		await submitJudgment({
			leaseId: theirs.lease.id,
			user: other.user,
			input: { ranking: [theirs.item.responses.map((r) => r.id)], idempotencyKey: 'theirs' },
		})

		const body = {
			leaseId: mine.lease.id,
			judgment: { ranking: [mine.item.responses.map((r) => r.id)], idempotencyKey: 'mine' },
		}
		const late = await post(project.slug, cookie, body)
		expect(late.status).toBe(409)
		expect(late.headers.get('Content-Type')).toContain('application/problem+json')
		expect(await late.json()).toMatchObject({ reason: 'item_complete' })
		expect([403, 404]).toContain((await post(project.slug, stranger.cookie, body)).status)
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(1)
	})
})
