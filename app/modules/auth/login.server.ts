import { z } from 'zod'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { burnPasswordCheck, verifyPassword } from './password.server.ts'
import { hitRateLimit, releaseRateLimit, resetRateLimit } from './rate-limit.server.ts'
import { createSession, invalidateSession } from './session.server.ts'

export const EmailSchema = z
	.string({ error: 'Email is required' })
	.trim()
	.min(1, 'Email is required')
	.max(320, 'Email is too long')
	.pipe(z.email({ error: 'Enter a valid email address' }))
	.transform((value) => value.toLowerCase())

export const LoginSchema = z.object({
	email: EmailSchema,
	password: z.string({ error: 'Password is required' }).min(1, 'Password is required').max(256),
})

const INVALID = 'Invalid email or password'

export async function login({
	email,
	password,
	ip,
	userAgent,
	now = new Date(),
}: {
	email: string
	password: string
	ip: string
	userAgent?: string | null
	now?: Date
}) {
	const env = getEnv()
	const windowMs = env.LOGIN_WINDOW_MINUTES * 60_000
	// The account is limited per address, so a stranger's failures cannot lock its owner out.
	const accountKey = `login:account:${email}:ip:${ip}`
	const ipKey = `login:ip:${ip}`
	// Counted before the password is checked: every attempt of a parallel burst holds its own
	// number, so no more than the limit ever reach the password check.
	const [account, address] = await Promise.all([
		hitRateLimit({ key: accountKey, windowMs, now }),
		hitRateLimit({ key: ipKey, windowMs, now }),
	])
	const blocked =
		account.count > env.LOGIN_MAX_PER_ACCOUNT ? account : address.count > env.LOGIN_MAX_PER_IP ? address : null
	if (blocked) {
		await recordAudit({
			action: 'auth.login_failed',
			targetType: 'email',
			targetId: email,
			ip,
			data: { reason: 'rate_limited' },
		})
		const minutes = Math.max(1, Math.ceil((blocked.resetAt.getTime() - now.getTime()) / 60_000))
		throw new AppError(
			'RATE_LIMITED',
			`Too many failed login attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
			{
				extra: { retryAfterSeconds: minutes * 60 },
			},
		)
	}

	const found = await prisma.user.findUnique({ where: { email } })
	// An AI judge never signs in: it is treated as an unknown address.
	const user = found?.kind === 'human' ? found : null
	const passwordOk = user?.passwordHash
		? await verifyPassword(user.passwordHash, password)
		: (await burnPasswordCheck(password), false)
	if (!user || !passwordOk || user.disabledAt) {
		await recordAudit({
			actorId: user?.id,
			action: 'auth.login_failed',
			targetType: 'email',
			targetId: email,
			ip,
			data: { reason: !user ? 'unknown_email' : user.disabledAt && passwordOk ? 'disabled' : 'wrong_password' },
		})
		throw new AppError(
			'UNAUTHENTICATED',
			user?.disabledAt && passwordOk ? 'This account is disabled. Ask an admin to enable it.' : INVALID,
		)
	}

	// A success clears its account's failures and gives back its own count on the address, so
	// signing in to one's own account cannot be used to reset the address's failures.
	await Promise.all([resetRateLimit({ key: accountKey }), releaseRateLimit({ key: ipKey })])
	const session = await createSession({ userId: user.id, ip, userAgent, now })
	await recordAudit({ actorId: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, ip })
	return { ...session, user: { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles } }
}

export async function logout({ sessionId, userId, ip }: { sessionId: string; userId: string; ip?: string }) {
	await invalidateSession(sessionId)
	await recordAudit({ actorId: userId, action: 'auth.logout', targetType: 'user', targetId: userId, ip })
}
