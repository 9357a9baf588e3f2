import { describe, expect, test } from 'vitest'
import { loader as meLoader } from '#app/routes/api/me.ts'
import { loader as usersLoader } from '#app/routes/api/users.ts'
import { revokeApiToken } from '#app/modules/auth/api-token.server.ts'
import { disableUser } from '#app/modules/users/users.server.ts'
import { apiRequest, callRoute, makeUserWithToken } from '#tests/factories/users.ts'

async function problemOf(response: Response) {
	expect(response.headers.get('Content-Type')).toBe('application/problem+json')
	return (await response.json()) as { status: number; title: string; detail: string }
}

describe('GET /api/v1/users', () => {
	test('answers 401 without a token, as problem+json', async () => {
		const response = await callRoute(usersLoader, apiRequest('/api/v1/users'))
		expect(response.status).toBe(401)
		const body = await problemOf(response)
		expect(body.status).toBe(401)
		expect(body.detail).toMatch(/Bearer/)
		expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
	})

	test('answers 401 for a malformed or unknown token', async () => {
		for (const token of ['garbage', 'qrm_abc.def', 'qrm_']) {
			const response = await callRoute(usersLoader, apiRequest('/api/v1/users', { token }))
			expect(response.status).toBe(401)
		}
	})

	test("answers 403 with an annotator's token", async () => {
		const { token } = await makeUserWithToken({ roles: ['annotator'] })
		const response = await callRoute(usersLoader, apiRequest('/api/v1/users', { token }))
		expect(response.status).toBe(403)
		expect((await problemOf(response)).status).toBe(403)
	})

	test("answers 200 with an admin's token and lists users", async () => {
		const { user: admin, token } = await makeUserWithToken({ roles: ['admin'] })
		const response = await callRoute(usersLoader, apiRequest('/api/v1/users?pageSize=200', { token }))
		expect(response.status).toBe(200)
		const body = (await response.json()) as { users: { email: string; roles: string[] }[]; total: number }
		expect(body.users.map((u) => u.email)).toContain(admin.email)
		expect(body.total).toBeGreaterThanOrEqual(1)
		expect(JSON.stringify(body)).not.toMatch(/password/i)
	})

	test('answers 422 naming the field for a bad query', async () => {
		const { token } = await makeUserWithToken({ roles: ['admin'] })
		const response = await callRoute(usersLoader, apiRequest('/api/v1/users?pageSize=9999', { token }))
		expect(response.status).toBe(422)
		const body = (await response.json()) as { errors: { path: string }[] }
		expect(body.errors[0]?.path).toBe('pageSize')
	})
})

describe('GET /api/v1/me', () => {
	test('returns the caller', async () => {
		const { user, token } = await makeUserWithToken({ roles: ['engineer'] })
		const response = await callRoute(meLoader, apiRequest('/api/v1/me', { token }))
		expect(response.status).toBe(200)
		expect(await response.json()).toEqual({
			id: user.id,
			email: user.email,
			displayName: user.displayName,
			roles: ['engineer'],
		})
	})

	test('a revoked token stops working', async () => {
		const { user, token } = await makeUserWithToken({ roles: ['engineer'] })
		const id = token.slice(4).split('.')[0]!
		await revokeApiToken({ userId: user.id, tokenId: id })
		const response = await callRoute(meLoader, apiRequest('/api/v1/me', { token }))
		expect(response.status).toBe(401)
	})

	test('disabling a user ends their tokens at once', async () => {
		const { user, token } = await makeUserWithToken({ roles: ['engineer'] })
		expect((await callRoute(meLoader, apiRequest('/api/v1/me', { token }))).status).toBe(200)
		await disableUser({ userId: user.id })
		expect((await callRoute(meLoader, apiRequest('/api/v1/me', { token }))).status).toBe(401)
	})
})
