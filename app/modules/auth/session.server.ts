import type { Role } from '#app/generated/prisma/client.ts'
import { prisma, sql } from '#app/utils/db.server.ts'
import { getEnv, secureCookies } from '#app/utils/env.server.ts'
import { newSplitToken, parseSplitToken, secretMatches } from './secrets.server.ts'

export const SESSION_COOKIE = 'quorum_session'
// The __Host- prefix makes the browser refuse the cookie unless it is Secure, host-only and for
// Path=/, so a sibling subdomain cannot plant or shadow it. It needs HTTPS, hence production only.
const HOST_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`

export function sessionCookieName(env = getEnv()) {
	return env.NODE_ENV === 'production' && secureCookies(env) ? HOST_SESSION_COOKIE : SESSION_COOKIE
}
const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

export type SessionUser = { id: string; email: string; displayName: string; roles: Role[] }
export type ValidatedSession = { sessionId: string; expiresAt: Date; user: SessionUser }

function lifetimeMs() {
	return getEnv().SESSION_DAYS * DAY
}

/** Sliding expiry, but never past SESSION_MAX_DAYS after the login. */
function expiryFrom(now: Date, createdAt: Date) {
	return new Date(Math.min(now.getTime() + lifetimeMs(), createdAt.getTime() + getEnv().SESSION_MAX_DAYS * DAY))
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
	const expiresAt = expiryFrom(now, now)
	await prisma.session.create({
		data: { id, secretHash, userId, createdAt: now, lastVerifiedAt: now, expiresAt, ip, userAgent },
	})
	return { token, expiresAt, sessionId: id }
}

/**
 * Expiry slides with use, up to an absolute lifetime, but the row is written at most once an hour
 * so that every request does not become a write.
 */
export async function validateSessionToken(token: string, now = new Date()): Promise<ValidatedSession | null> {
	const parts = parseSplitToken(token)
	if (!parts) return null
	const [session] = await sql<{
		secret_hash: Buffer
		created_at: Date
		expires_at: Date
		last_verified_at: Date
		user_id: string
		email: string
		display_name: string
		roles: Role[]
		disabled_at: Date | null
		kind: string
	}>({
		name: 'quorum_validate_session',
		text: `SELECT s.secret_hash, s.created_at, s.expires_at, s.last_verified_at, u.id::text AS user_id, u.email, u.display_name, u.roles::text[] AS roles, u.disabled_at, u.kind::text AS kind
			FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
		values: [parts.id],
	})
	if (!session) return null
	if (!secretMatches(parts.secret, new Uint8Array(session.secret_hash))) return null
	const ended = Math.min(session.expires_at.getTime(), session.created_at.getTime() + getEnv().SESSION_MAX_DAYS * DAY)
	if (ended <= now.getTime() || session.disabled_at || session.kind !== 'human') {
		await prisma.session.deleteMany({ where: { id: parts.id } })
		return null
	}
	let expiresAt = session.expires_at
	if (now.getTime() - session.last_verified_at.getTime() >= HOUR) {
		expiresAt = expiryFrom(now, session.created_at)
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
	const wanted = sessionCookieName()
	for (const part of header.split(';')) {
		const [name, ...rest] = part.trim().split('=')
		if (name !== wanted) continue
		try {
			return decodeURIComponent(rest.join('='))
		} catch {
			// A malformed cookie (say "%E0") is no session at all, not an error on every page.
			return null
		}
	}
	return null
}

export function sessionCookie(token: string, expiresAt: Date, env = getEnv()) {
	const attributes = [
		`${sessionCookieName(env)}=${encodeURIComponent(token)}`,
		'Path=/',
		'HttpOnly',
		'SameSite=Lax',
		`Expires=${expiresAt.toUTCString()}`,
	]
	if (secureCookies(env)) attributes.push('Secure')
	return attributes.join('; ')
}

export function clearSessionCookie() {
	const attributes = [`${sessionCookieName()}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0']
	if (secureCookies()) attributes.push('Secure')
	return attributes.join('; ')
}
