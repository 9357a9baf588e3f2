import type { Role } from '#app/generated/prisma/enums.ts'
import { sql } from '#app/utils/db.server.ts'
import { forbidden, unauthenticated } from '#app/utils/errors.ts'
import type { Credential } from './credential.server.ts'
import type { SessionUser } from './session.server.ts'

type Row = { user_id: string; email: string; display_name: string; roles: Role[]; scope: string }

/** The credential's user, checked now (`quorum_authenticate`), or null. */
export async function authenticate(credential: Credential, now = new Date()): Promise<SessionUser | null> {
	const [row] = await sql<Row>({
		name: 'quorum_authenticate',
		text: 'SELECT * FROM quorum_authenticate($1, $2, $3, $4, $5, $6)',
		values: [credential.kind, credential.id, credential.hash, now, credential.sessionMs, credential.sessionMaxMs],
	})
	if (row?.scope === 'read') throw readOnlyToken()
	return row ? { id: row.user_id, email: row.email, displayName: row.display_name, roles: row.roles } : null
}

/** The hot paths all write, so a token of scope "read" may not use them. */
export const readOnlyToken = () =>
	forbidden('This token\'s scope is "read"; this request needs a token with scope "annotate" or "full"')

export const REFUSED_TOKEN = 'The API token is invalid, revoked, expired, or belongs to a disabled user'

/** As `requireApiUser`, for a credential already read from the request. */
export async function requireCredential(credential: Credential, now = new Date()): Promise<SessionUser> {
	const user = await authenticate(credential, now)
	if (!user) throw unauthenticated(credential.kind === 'token' ? REFUSED_TOKEN : 'Your session has expired.')
	return user
}
