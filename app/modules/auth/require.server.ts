import { redirect } from 'react-router'
import { forbidden, unauthenticated } from '#app/utils/errors.ts'
import { hasPermission, type Permission } from '#app/utils/permissions.ts'
import type { TokenScope } from '#app/generated/prisma/enums.ts'
import { scopeAllows, verifyApiToken } from './api-token.server.ts'
import { readSessionToken, validateSessionToken, type SessionUser, type ValidatedSession } from './session.server.ts'

export async function getSession(request: Request): Promise<ValidatedSession | null> {
	const token = readSessionToken(request)
	if (!token) return null
	return validateSessionToken(token)
}

export async function getUser(request: Request) {
	return (await getSession(request))?.user ?? null
}

function loginRedirect(request: Request) {
	const url = new URL(request.url)
	const redirectTo = `${url.pathname}${url.search}`
	const params = new URLSearchParams({ redirectTo })
	return redirect(`/login?${params}`)
}

/** For UI routes: anonymous visitors go to the login page and come back afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
	const user = await getUser(request)
	if (!user) throw loginRedirect(request)
	return user
}

export async function requireUserWithPermission(request: Request, permission: Permission) {
	const user = await requireUser(request)
	if (!hasPermission(user, permission)) throw forbidden()
	return user
}

export async function requireAnonymous(request: Request) {
	if (await getUser(request)) throw redirect('/')
}

const READS = new Set(['GET', 'HEAD'])

/**
 * For /api/v1: bearer tokens only, never the session cookie, so CSRF cannot reach the API. A read
 * needs any token; a write needs a full token unless the route says `annotate` is enough.
 */
export async function requireApiUser(request: Request, { scope }: { scope?: TokenScope } = {}): Promise<SessionUser> {
	const header = request.headers.get('Authorization')
	if (!header) throw unauthenticated('Send an API token as "Authorization: Bearer <token>"')
	const match = /^Bearer\s+(\S+)$/i.exec(header)
	if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"')
	const verified = await verifyApiToken(match[1]!)
	if (!verified) throw unauthenticated('The API token is invalid, revoked, expired, or belongs to a disabled user')
	const needed = READS.has(request.method.toUpperCase()) ? 'read' : (scope ?? 'full')
	if (!scopeAllows(verified.scope, needed)) {
		throw forbidden(
			`This token's scope is "${verified.scope}"; this request needs a token with scope "${needed}"${needed === 'full' ? '' : ' or "full"'}`,
		)
	}
	return verified.user
}

export async function requireApiPermission(request: Request, permission: Permission) {
	const user = await requireApiUser(request)
	if (!hasPermission(user, permission)) throw forbidden(`This needs the "${permission}" permission`)
	return user
}

export function assertPermission(user: SessionUser, permission: Permission) {
	if (!hasPermission(user, permission)) throw forbidden()
}
