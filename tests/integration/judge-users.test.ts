import { beforeAll, describe, expect, test } from 'vitest'
import { createApiToken, verifyApiToken, TOKEN_PREFIX } from '#app/modules/auth/api-token.server.ts'
import { authenticate } from '#app/modules/auth/authenticate.server.ts'
import { changePassword } from '#app/modules/auth/change-password.server.ts'
import { bearerCredential, sessionCredential } from '#app/modules/auth/credential.server.ts'
import { login } from '#app/modules/auth/login.server.ts'
import { hashPassword } from '#app/modules/auth/password.server.ts'
import { newSplitToken } from '#app/modules/auth/secrets.server.ts'
import { createSession, validateSessionToken } from '#app/modules/auth/session.server.ts'
import { ensureJudgeUser, judgeEmail } from '#app/modules/judging/judge-user.server.ts'
import { createModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import { createInvite } from '#app/modules/users/invites.server.ts'
import { listUsers, setUserRoles } from '#app/modules/users/users.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeUser } from '#tests/factories/users.ts'

let admin: Awaited<ReturnType<typeof makeUser>>
let judge: { id: string; email: string; endpointId: string }

beforeAll(async () => {
	admin = await makeUser({ roles: ['admin'] })
	const endpoint = await createModelEndpoint({
		user: asSessionUser(admin),
		input: { name: 'Local Qwen', baseUrl: 'http://127.0.0.1:9/v1', model: 'qwen' },
	})
	const user = await ensureJudgeUser({ endpointId: endpoint.id, name: endpoint.name })
	judge = { id: user.id, email: judgeEmail(endpoint.id), endpointId: endpoint.id }
})

describe('the judge user', () => {
	test('one model user per endpoint, created once and named after the endpoint, with no way in', async () => {
		const again = await ensureJudgeUser({ endpointId: judge.endpointId, name: 'Local Qwen 2' })
		expect(again.id).toBe(judge.id)
		expect(await prisma.user.findUniqueOrThrow({ where: { id: judge.id } })).toMatchObject({
			kind: 'model',
			judgeEndpointId: judge.endpointId,
			displayName: 'Local Qwen 2',
			passwordHash: null,
			roles: [],
		})
		expect(await prisma.user.count({ where: { judgeEndpointId: judge.endpointId } })).toBe(1)
	})

	test('cannot log in, even with a password hash written straight into the table', async () => {
		await prisma.user.update({
			where: { id: judge.id },
			data: { passwordHash: await hashPassword('judge-password-1') },
		})
		try {
			await expect(
				login({ email: judge.email, password: 'judge-password-1', ip: '203.0.113.77' }),
			).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: 'Invalid email or password' })
			expect(await prisma.session.count({ where: { userId: judge.id } })).toBe(0)
		} finally {
			await prisma.user.update({ where: { id: judge.id }, data: { passwordHash: null } })
		}
	})

	test('a token or session that names it is refused, by the SQL function and by the app', async () => {
		const { id, secretHash, token } = newSplitToken(TOKEN_PREFIX)
		await prisma.apiToken.create({ data: { id, secretHash, userId: judge.id, name: 'smuggled', scope: 'full' } })
		expect(await authenticate(bearerCredential(`Bearer ${token}`))).toBeNull()
		expect(await verifyApiToken(token)).toBeNull()

		const session = await createSession({ userId: judge.id })
		expect(await authenticate(sessionCredential(`quorum_session=${encodeURIComponent(session.token)}`)!)).toBeNull()
		expect(await validateSessionToken(session.token)).toBeNull()

		// The same credentials of a person are accepted: the refusal is about the kind.
		const person = await makeUser({ roles: ['engineer'] })
		const own = await createApiToken({ userId: person.id, name: 'own' })
		expect(await authenticate(bearerCredential(`Bearer ${own.token}`))).toMatchObject({ id: person.id })
	})

	test('no API tokens, invites, passwords or roles for it', async () => {
		await expect(createApiToken({ userId: judge.id, name: 'x', actorId: admin.id })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringContaining('AI judge'),
		})
		await expect(createInvite({ email: judge.email, roles: ['annotator'], actorId: admin.id })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringContaining('AI judge'),
		})
		await expect(
			changePassword({
				user: { id: judge.id, email: judge.email, displayName: 'Local Qwen', roles: [] },
				currentSessionId: null,
				currentPassword: 'x',
				newPassword: 'a-new-password-123',
			}),
		).rejects.toMatchObject({ code: 'CONFLICT' })
		await expect(setUserRoles({ userId: judge.id, roles: ['admin'], actorId: admin.id })).rejects.toMatchObject({
			code: 'CONFLICT',
		})
		expect((await prisma.user.findUniqueOrThrow({ where: { id: judge.id } })).roles).toEqual([])
		const listed = await listUsers({
			q: 'judges.quorum.invalid',
			page: 1,
			pageSize: 50,
			sort: 'email',
			dir: 'asc',
		} as never)
		expect(listed.users).toEqual([])
	})
})
