import { describe, expect, test } from 'vitest'
import { login } from '#app/modules/auth/login.server.ts'
import { createSession, validateSessionToken } from '#app/modules/auth/session.server.ts'
import { acceptInvite, createInvite } from '#app/modules/users/invites.server.ts'
import { disableUser } from '#app/modules/users/users.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { makeUser, TEST_PASSWORD } from '#tests/factories/users.ts'

const HOUR = 3600_000
const DAY = 24 * HOUR

describe('sessions', () => {
	test('a token validates, and a tampered secret does not', async () => {
		const user = await makeUser()
		const { token } = await createSession({ userId: user.id })
		expect((await validateSessionToken(token))?.user.id).toBe(user.id)
		const [id, secret] = token.split('.')
		const tampered = `${id}.${secret!.slice(0, -1)}${secret!.endsWith('a') ? 'b' : 'a'}`
		expect(await validateSessionToken(tampered)).toBeNull()
		expect(await validateSessionToken('not-a-token')).toBeNull()
	})

	test('expiry slides with use, but the row is written at most once an hour', async () => {
		const user = await makeUser()
		const start = new Date('2026-01-01T00:00:00Z')
		const { token, sessionId } = await createSession({ userId: user.id, now: start })
		const initial = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } })

		await validateSessionToken(token, new Date(start.getTime() + 30 * 60_000))
		const afterHalfHour = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } })
		expect(afterHalfHour.expiresAt).toEqual(initial.expiresAt)

		const later = new Date(start.getTime() + 20 * DAY)
		const validated = await validateSessionToken(token, later)
		expect(validated?.expiresAt.getTime()).toBe(later.getTime() + 30 * DAY)
		const slid = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } })
		expect(slid.lastVerifiedAt).toEqual(later)
	})

	test('an expired session is refused and removed', async () => {
		const user = await makeUser()
		const start = new Date('2026-01-01T00:00:00Z')
		const { token, sessionId } = await createSession({ userId: user.id, now: start })
		expect(await validateSessionToken(token, new Date(start.getTime() + 31 * DAY))).toBeNull()
		expect(await prisma.session.findUnique({ where: { id: sessionId } })).toBeNull()
	})

	test('disabling a user ends all their sessions at once', async () => {
		const user = await makeUser()
		const a = await createSession({ userId: user.id })
		const b = await createSession({ userId: user.id })
		await disableUser({ userId: user.id })
		expect(await validateSessionToken(a.token)).toBeNull()
		expect(await validateSessionToken(b.token)).toBeNull()
		expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
	})
})

describe('login', () => {
	test('logs in with the right password and audits it', async () => {
		const user = await makeUser()
		const result = await login({ email: user.email, password: TEST_PASSWORD, ip: '10.0.0.1' })
		expect(result.user.id).toBe(user.id)
		expect(await prisma.auditEvent.count({ where: { action: 'auth.login', actorId: user.id } })).toBe(1)
	})

	test('a wrong password fails with a generic message and is audited', async () => {
		const user = await makeUser()
		await expect(login({ email: user.email, password: 'wrong-password', ip: '10.0.0.2' })).rejects.toThrow(
			'Invalid email or password',
		)
		await expect(login({ email: 'nobody@test.local', password: 'whatever', ip: '10.0.0.2' })).rejects.toThrow(
			'Invalid email or password',
		)
		expect(await prisma.auditEvent.count({ where: { action: 'auth.login_failed', targetId: user.email } })).toBe(1)
	})

	test('too many failures lock the account for the window from that address, even with the right password', async () => {
		const user = await makeUser()
		for (let i = 0; i < 10; i++) {
			await expect(login({ email: user.email, password: 'wrong', ip: '10.1.1.1' })).rejects.toThrow('Invalid')
		}
		const error = await login({ email: user.email, password: TEST_PASSWORD, ip: '10.1.1.1' }).catch((e: unknown) => e)
		expect(error).toBeInstanceOf(AppError)
		expect((error as AppError).status).toBe(429)
		const later = new Date(Date.now() + 16 * 60_000)
		const result = await login({ email: user.email, password: TEST_PASSWORD, ip: '10.1.1.1', now: later })
		expect(result.user.id).toBe(user.id)
	})

	test('too many failures from one IP are limited across accounts', async () => {
		const ip = '10.9.9.9'
		for (let i = 0; i < 50; i++) {
			await expect(login({ email: `nobody-${i}@test.local`, password: 'x', ip })).rejects.toThrow()
		}
		const user = await makeUser()
		await expect(login({ email: user.email, password: TEST_PASSWORD, ip })).rejects.toMatchObject({ status: 429 })
		expect((await login({ email: user.email, password: TEST_PASSWORD, ip: '10.9.9.10' })).user.id).toBe(user.id)
	})

	test('a disabled user cannot log in', async () => {
		const user = await makeUser()
		await disableUser({ userId: user.id })
		await expect(login({ email: user.email, password: TEST_PASSWORD, ip: '10.0.0.3' })).rejects.toThrow(/disabled/)
	})
})

describe('invites', () => {
	test('are single-use and expire', async () => {
		const admin = await makeUser({ roles: ['admin'] })
		const now = new Date()
		const invite = await createInvite({
			email: `Invitee-${Date.now()}@Test.local`,
			roles: ['reviewer'],
			actorId: admin.id,
			now,
		})
		const accepted = await acceptInvite({ token: invite.token, password: 'long-enough-pw', displayName: 'Invitee' })
		expect(accepted.user.roles).toEqual(['reviewer'])
		expect(accepted.user.email).toBe(invite.email)
		await expect(
			acceptInvite({ token: invite.token, password: 'long-enough-pw', displayName: 'Again' }),
		).rejects.toThrow(/already been used/)

		const expiring = await createInvite({
			email: `late-${Date.now()}@test.local`,
			roles: ['annotator'],
			actorId: admin.id,
			now,
		})
		await expect(
			acceptInvite({
				token: expiring.token,
				password: 'long-enough-pw',
				displayName: 'Late',
				now: new Date(now.getTime() + 8 * DAY),
			}),
		).rejects.toThrow(/expired/)
	})

	test('a double submit creates one account', async () => {
		const admin = await makeUser({ roles: ['admin'] })
		const invite = await createInvite({
			email: `double-${Date.now()}@test.local`,
			roles: ['annotator'],
			actorId: admin.id,
		})
		const results = await Promise.allSettled([
			acceptInvite({ token: invite.token, password: 'long-enough-pw', displayName: 'A' }),
			acceptInvite({ token: invite.token, password: 'long-enough-pw', displayName: 'B' }),
		])
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
		expect(await prisma.user.count({ where: { email: invite.email } })).toBe(1)
	})
})
