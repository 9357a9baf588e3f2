import { getEnv } from '#app/utils/env.server.ts'
import { unauthenticated } from '#app/utils/errors.ts'
import { TOKEN_PREFIX } from './api-token.server.ts'
import { hashSecret, parseSplitToken } from './secrets.server.ts'
import { SESSION_COOKIE } from './session.server.ts'

/**
 * A credential read from a request but not yet checked: the hot paths pass it to a SQL function
 * (`prisma/sql/functions/quorum_authenticate.sql`) that checks it in the same round trip as the
 * work, so it is checked on every request and nothing about it is cached.
 */
export type Credential = {
	kind: 'token' | 'session'
	id: string
	hash: Buffer
	sessionMs: number
	sessionMaxMs: number
}

const DAY_MS = 24 * 60 * 60 * 1000

function credential(kind: Credential['kind'], parts: { id: string; secret: string }): Credential {
	const env = getEnv()
	const session = kind === 'session'
	return {
		kind,
		id: parts.id,
		hash: Buffer.from(hashSecret(parts.secret)),
		sessionMs: session ? env.SESSION_DAYS * DAY_MS : 0,
		sessionMaxMs: session ? env.SESSION_MAX_DAYS * DAY_MS : 0,
	}
}

/** For /api/v1, as `requireApiUser`: a bearer token, or a 401 saying what is wrong with the header. */
export function bearerCredential(header: string | null | undefined): Credential {
	if (!header) throw unauthenticated('Send an API token as "Authorization: Bearer <token>"')
	const match = /^Bearer\s+(\S+)$/i.exec(header)
	if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"')
	const parts = parseSplitToken(match[1]!, TOKEN_PREFIX)
	if (!parts) throw unauthenticated('The API token is invalid, revoked, or belongs to a disabled user')
	return credential('token', parts)
}

/** The session cookie's credential, or null when there is none worth checking. */
export function sessionCredential(cookieHeader: string | null | undefined): Credential | null {
	if (!cookieHeader) return null
	for (const part of cookieHeader.split(';')) {
		const [name, ...rest] = part.trim().split('=')
		if (name !== SESSION_COOKIE) continue
		let token: string
		try {
			token = decodeURIComponent(rest.join('='))
		} catch {
			return null
		}
		const parts = parseSplitToken(token)
		return parts ? credential('session', parts) : null
	}
	return null
}
