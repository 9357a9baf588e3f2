import type { Role } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { getEnv, secureCookies } from '#app/utils/env.server.ts'
import { newSplitToken, parseSplitToken, secretMatches } from './secrets.server.ts'

export const SESSION_COOKIE = 'quorum_session'
const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

export type SessionUser = { id: string; email: string; displayName: string; roles: Role[] }
export type ValidatedSession = { sessionId: string; expiresAt: Date; user: SessionUser }

function lifetimeMs() {
	return getEnv().SESSION_DAYS * DAY
}

export async function createSession({
	userId,
	ip,
	userAgent,
	now = new Date(),
}: {
	userId: string
	ip?: string | null
	userAgent?: string | null
	now?: Date
}) {
	const { id, secretHash, token } = newSplitToken()
	const expiresAt = new Date(now.getTime() + lifetimeMs())
	await prisma.session.create({
		data: { id, secretHash, userId, createdAt: now, lastVerifiedAt: now, expiresAt, ip, userAgent },
	})
	return { token, expiresAt, sessionId: id }
}

/**
 * Expiry slides with use, but the row is written at most once an hour so that every request does
 * not become a write.
 */
export async function validateSessionToken(token: string, now = new Date()): Promise<ValidatedSession | null> {
	const parts = parseSplitToken(token)
	if (!parts) return null
	const session = await prisma.session.findUnique({
		where: { id: parts.id },
		include: { user: { select: { id: true, email: true, displayName: true, roles: true, disabledAt: true } } },
	})
	if (!session) return null
	if (!secretMatches(parts.secret, session.secretHash)) return null
	if (session.expiresAt.getTime() <= now.getTime() || session.user.disabledAt) {
		await prisma.session.deleteMany({ where: { id: session.id } })
		return null
	}
	let expiresAt = session.expiresAt
	if (now.getTime() - session.lastVerifiedAt.getTime() >= HOUR) {
		expiresAt = new Date(now.getTime() + lifetimeMs())
		await prisma.session.updateMany({ where: { id: session.id }, data: { lastVerifiedAt: now, expiresAt } })
	}
	const { disabledAt: _disabled, ...user } = session.user
	return { sessionId: session.id, expiresAt, user }
}

export async function invalidateSession(sessionId: string) {
	await prisma.session.deleteMany({ where: { id: sessionId } })
}

export async function invalidateUserSessions(userId: string) {
	await prisma.session.deleteMany({ where: { userId } })
}

export function readSessionToken(request: Request) {
	const header = request.headers.get('Cookie')
	if (!header) return null
	for (const part of header.split(';')) {
		const [name, ...rest] = part.trim().split('=')
		if (name === SESSION_COOKIE) return decodeURIComponent(rest.join('='))
	}
	return null
}

export function sessionCookie(token: string, expiresAt: Date) {
	const attributes = [
		`${SESSION_COOKIE}=${encodeURIComponent(token)}`,
		'Path=/',
		'HttpOnly',
		'SameSite=Lax',
		`Expires=${expiresAt.toUTCString()}`,
	]
	if (secureCookies()) attributes.push('Secure')
	return attributes.join('; ')
}

export function clearSessionCookie() {
	const attributes = [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0']
	if (secureCookies()) attributes.push('Secure')
	return attributes.join('; ')
}
