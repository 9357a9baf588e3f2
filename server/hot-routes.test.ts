import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { revokeApiToken } from '#app/modules/auth/api-token.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUserWithToken } from '#tests/factories/users.ts'
import { hotRoutes } from './hot-routes.ts'

let base = ''
let close: () => Promise<void>

beforeAll(async () => {
	const app = express()
	app.use(hotRoutes())
	app.use((_req, res) => void res.status(418).end())
	const server = app.listen(0, '127.0.0.1')
	await new Promise((resolve) => server.once('listening', resolve))
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
	close = () => new Promise((done) => server.close(() => done()))
})
afterAll(() => close())

type Body = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

async function post(
	path: string,
	{ token, body, type = 'application/json' }: { token?: string; body?: unknown; type?: string } = {},
) {
	const headers: Record<string, string> = {}
	if (token) headers.Authorization = `Bearer ${token}`
	if (body !== undefined) headers['Content-Type'] = type
	const response = await fetch(`${base}${path}`, {
		method: 'POST',
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	})
	const text = await response.text()
	return {
		status: response.status,
		type: response.headers.get('Content-Type'),
		body: (text ? JSON.parse(text) : null) as Body,
	}
}

const ranking = (next: Body) => [[next.item.responses[0].id], [next.item.responses[1].id]]

describe('the annotator’s hot endpoints, served by Express in front of React Router', () => {
	test('next, then judgments with next (body field and ?next=true) in one request each, then 204 and next: null', async () => {
		const { user, token } = await makeUserWithToken()
		const project = await makeProject({ members: [user], items: 3, input: { overlap: 1 } })

		const first = await post(`/api/v1/projects/${project.slug}/assignments/next`, { token })
		expect(first.status).toBe(200)
		expect(first.body).toMatchObject({
			lease: { id: expect.any(String) },
			item: { responses: expect.any(Array) },
			project: { slug: project.slug },
		})
		expect(first.body.draft).toBeUndefined()

		const second = await post(`/api/v1/assignments/${first.body.lease.id}/judgment`, {
			token,
			body: { ranking: ranking(first.body), strength: 2, idempotencyKey: 'a', next: true },
		})
		expect(second.status).toBe(201)
		expect(second.type).toContain('application/json')
		expect(second.body).toMatchObject({
			replay: false,
			judgment: { leaseId: first.body.lease.id },
			next: { lease: { id: expect.any(String) }, project: { slug: project.slug } },
		})
		const next = second.body.next

		const replay = await post(`/api/v1/assignments/${first.body.lease.id}/judgment`, {
			token,
			body: { ranking: ranking(first.body), strength: 2, idempotencyKey: 'a', next: true },
		})
		expect(replay.status).toBe(200)
		expect(replay.body).toMatchObject({
			replay: true,
			judgment: { id: second.body.judgment.id },
			next: { lease: { id: next.lease.id } },
		})

		const third = await post(`/api/v1/assignments/${next.lease.id}/judgment?next=true`, {
			token,
			body: { ranking: ranking(next), strength: 1, idempotencyKey: 'b' },
		})
		expect(third.status).toBe(201)
		const last = third.body.next
		const done = await post(`/api/v1/assignments/${last.lease.id}/judgment?next=true`, {
			token,
			body: { ranking: ranking(last), strength: 1, idempotencyKey: 'c' },
		})
		expect(done.body).toMatchObject({ replay: false, next: null })

		const plain = await post(`/api/v1/projects/${project.slug}/assignments/next`, { token })
		expect(plain.status).toBe(204)
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(3)
	})

	test('without next the answer is as before: {judgment, replay}', async () => {
		const { user, token } = await makeUserWithToken()
		const project = await makeProject({ members: [user], items: 2 })
		const claim = await post(`/api/v1/projects/${project.slug}/assignments/next`, { token })
		const answer = await post(`/api/v1/assignments/${claim.body.lease.id}/judgment`, {
			token,
			body: { ranking: ranking(claim.body), strength: 0, idempotencyKey: 'x' },
		})
		expect(answer.status).toBe(201)
		expect(Object.keys(answer.body).sort()).toEqual(['judgment', 'replay'])
	})

	test('errors are problem+json from the one error map; who asks is checked before the body', async () => {
		const { user, token } = await makeUserWithToken()
		const project = await makeProject({ members: [user], items: 2 })
		const claim = await post(`/api/v1/projects/${project.slug}/assignments/next`, { token })
		const path = `/api/v1/assignments/${claim.body.lease.id}/judgment`

		const anonymous = await post(path, { body: { ranking: [] } })
		expect(anonymous.status).toBe(401)
		expect(anonymous.type).toContain('application/problem+json')
		expect((await post(path, { token: 'qrm_nope.nope', body: 'not json', type: 'text/plain' })).status).toBe(401)
		const wrongType = await post(path, { token, body: 'x', type: 'text/plain' })
		expect(wrongType).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } })
		expect(await post(path, { token, body: '{', type: 'application/json' })).toMatchObject({
			status: 400,
			body: { code: 'BAD_REQUEST' },
		})
		const invalid = await post(path, { token, body: { ranking: [['zz']], idempotencyKey: 'k' } })
		expect(invalid).toMatchObject({
			status: 422,
			body: {
				code: 'INVALID',
				errors: expect.arrayContaining([
					{ path: 'ranking[0][0]', message: expect.stringContaining('unknown response id') },
				]),
			},
		})
		expect(
			(
				await post(`/api/v1/assignments/not-a-uuid/judgment`, {
					token,
					body: { ranking: [['a']], idempotencyKey: 'k' },
				})
			).status,
		).toBe(404)
		expect((await post(`/api/v1/projects/nope/assignments/next`, { token })).status).toBe(404)
	})

	test('renew and skip answer as the React Router routes do', async () => {
		const { user, token } = await makeUserWithToken()
		const project = await makeProject({ members: [user], items: 2 })
		const claim = await post(`/api/v1/projects/${project.slug}/assignments/next`, { token })
		const renewed = await post(`/api/v1/assignments/${claim.body.lease.id}/renew`, { token })
		expect(renewed).toMatchObject({
			status: 200,
			body: { lease: { id: claim.body.lease.id, expiresAt: expect.any(String) } },
		})
		expect(
			await post(`/api/v1/assignments/${claim.body.lease.id}/skip`, { token, body: { reason: 'unclear' } }),
		).toMatchObject({ status: 200, body: { skipped: true, replay: false } })
		expect(await post(`/api/v1/assignments/${claim.body.lease.id}/skip`, { token })).toMatchObject({
			status: 200,
			body: { skipped: true, replay: true },
		})
		expect((await post(`/api/v1/assignments/${claim.body.lease.id}/renew`, { token })).status).toBe(409)
	})

	test('a revoked token is refused on the very next request', async () => {
		const { user, token } = await makeUserWithToken()
		const project = await makeProject({ members: [user], items: 3 })
		const claim = await post(`/api/v1/projects/${project.slug}/assignments/next`, { token })
		const tokenRow = await prisma.apiToken.findFirstOrThrow({ where: { userId: user.id } })
		await revokeApiToken({ userId: user.id, tokenId: tokenRow.id })
		const refused = await post(`/api/v1/assignments/${claim.body.lease.id}/judgment`, {
			token,
			body: { ranking: ranking(claim.body), strength: 1, idempotencyKey: 'r', next: true },
		})
		expect(refused.status).toBe(401)
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(0)
	})

	test('other methods fall through to the routes behind', async () => {
		const response = await fetch(`${base}/api/v1/assignments/00000000-0000-0000-0000-000000000000/judgment`)
		expect(response.status).toBe(418)
	})
})
