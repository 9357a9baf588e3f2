import type { Role } from '#app/generated/prisma/client.ts'
import { prisma, sql } from '#app/utils/db.server.ts'
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
	const [session] = await sql<{
		secret_hash: Buffer
		expires_at: Date
		last_verified_at: Date
		user_id: string
		email: string
		display_name: string
		roles: Role[]
		disabled_at: Date | null
	}>({
		name: 'quorum_validate_session',
		text: `SELECT s.secret_hash, s.expires_at, s.last_verified_at, u.id::text AS user_id, u.email, u.display_name, u.roles::text[] AS roles, u.disabled_at
			FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
		values: [parts.id],
	})
	if (!session) return null
	if (!secretMatches(parts.secret, new Uint8Array(session.secret_hash))) return null
	if (session.expires_at.getTime() <= now.getTime() || session.disabled_at) {
		await prisma.session.deleteMany({ where: { id: parts.id } })
		return null
	}
	let expiresAt = session.expires_at
	if (now.getTime() - session.last_verified_at.getTime() >= HOUR) {
		expiresAt = new Date(now.getTime() + lifetimeMs())
		await prisma.session.updateMany({ where: { id: parts.id }, data: { lastVerifiedAt: now, expiresAt } })
	}
	const user = { id: session.user_id, email: session.email, displayName: session.display_name, roles: session.roles }
	return { sessionId: parts.id, expiresAt, user }
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
