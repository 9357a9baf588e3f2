import { createApiToken } from '#app/modules/auth/api-token.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { appOrigin, expect, makeUser, test } from './fixtures.ts'

test('20 annotators working at once over HTTP produce exactly 900 judgments, 3 per item, none repeated, all stored', async () => {
	test.setTimeout(180_000)
	const annotators = await Promise.all(Array.from({ length: 20 }, () => makeUser(['annotator'])))
	const project = await makeProject({ members: annotators, items: 300, input: { overlap: 3, criteria: [], flags: [] } })
	const acknowledged: string[] = []
	let replays = 0

	await Promise.all(
		annotators.map(async (annotator, a) => {
			const { token } = await createApiToken({ userId: annotator.id, name: 'load' })
			const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }
			for (let n = 0; ; n++) {
				const next = await fetch(`${appOrigin}/api/v1/projects/${project.slug}/assignments/next`, {
					method: 'POST',
					headers,
				})
				if (next.status === 204) break
				expect(next.status).toBe(200)
				const { lease, item } = (await next.json()) as { lease: { id: string }; item: { responses: { id: string }[] } }
				const [x, y] = item.responses.map((r) => r.id)
				const body = JSON.stringify({
					ranking: [[x], [y]],
					strength: (a + n) % 4,
					idempotencyKey: `${annotator.id}-${n}`,
				})
				const submitted = await fetch(`${appOrigin}/api/v1/assignments/${lease.id}/judgment`, {
					method: 'POST',
					headers,
					body,
				})
				expect(submitted.status).toBe(201)
				const { judgment } = (await submitted.json()) as { judgment: { id: string } }
				acknowledged.push(judgment.id)
				if (n === 0) {
					const replay = await fetch(`${appOrigin}/api/v1/assignments/${lease.id}/judgment`, {
						method: 'POST',
						headers,
						body,
					})
					expect(replay.status).toBe(200)
					expect(((await replay.json()) as { judgment: { id: string } }).judgment.id).toBe(judgment.id)
					replays++
				}
			}
		}),
	)

	expect(replays).toBe(20)
	const stored = await prisma.judgment.findMany({
		where: { projectId: project.id },
		select: { id: true, itemId: true, userId: true },
	})
	expect(stored).toHaveLength(900)
	expect(acknowledged).toHaveLength(900)
	expect(new Set(stored.map((j) => j.id))).toEqual(new Set(acknowledged))
	expect(new Set(stored.map((j) => `${j.itemId}:${j.userId}`)).size).toBe(900)
	const perItem = await prisma.item.groupBy({ by: ['judgmentCount'], where: { projectId: project.id }, _count: true })
	expect(perItem).toEqual([{ judgmentCount: 3, _count: 300 }])
})

test('the assignment API refuses anonymous callers and non-members', async () => {
	const project = await makeProject({ items: 1 })
	const anonymous = await fetch(`${appOrigin}/api/v1/projects/${project.slug}/assignments/next`, { method: 'POST' })
	expect(anonymous.status).toBe(401)
	expect(anonymous.headers.get('content-type')).toBe('application/problem+json')
	const outsider = await makeUser(['annotator'])
	const { token } = await createApiToken({ userId: outsider.id, name: 't' })
	const refused = await fetch(`${appOrigin}/api/v1/projects/${project.slug}/assignments/next`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}` },
	})
	expect(refused.status).toBe(404)
})
