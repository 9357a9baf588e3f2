import { redirect } from 'react-router'
import { forbidden, unauthenticated } from '#app/utils/errors.ts'
import { hasPermission, type Permission } from '#app/utils/permissions.ts'
import { authenticateApiToken } from './api-token.server.ts'
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

/** For /api/v1: bearer tokens only, never the session cookie, so CSRF cannot reach the API. */
export async function requireApiUser(request: Request): Promise<SessionUser> {
	const header = request.headers.get('Authorization')
	if (!header) throw unauthenticated('Send an API token as "Authorization: Bearer <token>"')
	const match = /^Bearer\s+(\S+)$/i.exec(header)
	if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"')
	const user = await authenticateApiToken(match[1]!)
	if (!user) throw unauthenticated('The API token is invalid, revoked, or belongs to a disabled user')
	return user
}

export async function requireApiPermission(request: Request, permission: Permission) {
	const user = await requireApiUser(request)
	if (!hasPermission(user, permission)) throw forbidden(`This needs the "${permission}" permission`)
	return user
}

export function assertPermission(user: SessionUser, permission: Permission) {
	if (!hasPermission(user, permission)) throw forbidden()
}
