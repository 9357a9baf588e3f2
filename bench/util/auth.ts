// Credentials for virtual users, written straight into the database the way the app stores them:
// API tokens `qrm_<id>.<secret>` and session tokens `<id>.<secret>`, with only SHA-256 of the secret kept.
import type pg from 'pg'
import { TOKEN_PREFIX } from '#app/modules/auth/api-token.server.ts'
import { hashSecret, randomToken } from '#app/modules/auth/secrets.server.ts'

/** One API token per user; `idPrefix` names them (ids must be unique in the database). */
export async function createApiTokens(
	client: pg.ClientBase,
	{ userIds, idPrefix }: { userIds: string[]; idPrefix: string },
) {
	const tokens = userIds.map((userId, index) => {
		const id = `${idPrefix}${index}`
		const secret = randomToken(20)
		return { userId, id, secret, token: `${TOKEN_PREFIX}${id}.${secret}`, hash: Buffer.from(hashSecret(secret)) }
	})
	await client.query(
		`INSERT INTO api_tokens (id, secret_hash, user_id, name, created_at)
		SELECT t.id, t.hash, t.user_id, 'bench', now() FROM unnest($1::text[], $2::bytea[], $3::uuid[]) AS t(id, hash, user_id)`,
		[tokens.map((t) => t.id), tokens.map((t) => t.hash), tokens.map((t) => t.userId)],
	)
	return tokens
}

export async function createSessionToken(client: pg.ClientBase, userId: string) {
	const id = randomToken(10)
	const secret = randomToken(20)
	await client.query(
		`INSERT INTO sessions (id, secret_hash, user_id, created_at, last_verified_at, expires_at) VALUES ($1, $2, $3, now(), now(), now() + interval '1 day')`,
		[id, Buffer.from(hashSecret(secret)), userId],
	)
	return `${id}.${secret}`
}

/** An admin user (for imports), with an API token. */
export async function createAdmin(client: pg.ClientBase, label: string) {
	const { rows } = await client.query<{ id: string }>(
		`INSERT INTO users (email, display_name, roles, updated_at) VALUES ($1, $2, '{admin}', now()) RETURNING id::text`,
		[`${label}-admin@bench.quorum.test`, `Bench admin ${label}`],
	)
	const [token] = await createApiTokens(client, { userIds: [rows[0]!.id], idPrefix: `${label}-admin-` })
	return { userId: rows[0]!.id, token: token!.token }
}
