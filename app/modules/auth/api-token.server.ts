import { z } from 'zod'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { prisma, sql } from '#app/utils/db.server.ts'
import { conflict, notFound } from '#app/utils/errors.ts'
import type { TokenScope } from '#app/generated/prisma/enums.ts'
import type { SessionUser } from './session.server.ts'
import { newSplitToken, parseSplitToken, secretMatches } from './secrets.server.ts'

export const TOKEN_PREFIX = 'qrm_'
const LAST_USED_RESOLUTION_MS = 60_000

export const TokenNameSchema = z
	.string({ error: 'Name is required' })
	.trim()
	.min(1, 'Name is required')
	.max(100, 'Name must be at most 100 characters')

export const TOKEN_SCOPES = ['read', 'annotate', 'full'] as const satisfies readonly TokenScope[]
export const TokenScopeSchema = z.enum(TOKEN_SCOPES, { error: 'Scope must be read, annotate or full' })
export const TokenExpiryDaysSchema = z.coerce
	.number({ error: 'Expiry must be a number of days' })
	.int('Expiry must be a whole number of days')
	.min(1, 'Expiry must be at least 1 day')
	.max(3650, 'Expiry must be at most 3650 days')

/** Whether a token of scope `held` may do what needs `needed`: read < annotate < full. */
export function scopeAllows(held: TokenScope, needed: TokenScope) {
	return TOKEN_SCOPES.indexOf(held) >= TOKEN_SCOPES.indexOf(needed)
}

/** AI judges (users of kind `model`) have no credentials of any sort. */
export async function assertHumanUser({ userId, what }: { userId: string; what: string }) {
	const user = await prisma.user.findUnique({ where: { id: userId }, select: { kind: true, displayName: true } })
	if (user?.kind === 'model')
		throw conflict(`${user.displayName} is an AI judge; AI judges cannot sign in and have no ${what}`, {
			reason: 'model_user',
		})
}

/** Returns the clear-text token once; only its hash is stored. */
export async function createApiToken({
	userId,
	name,
	scope = 'full',
	expiresAt = null,
	actorId = userId,
}: {
	userId: string
	name: string
	scope?: TokenScope
	/** Null: the token does not expire. */
	expiresAt?: Date | null
	actorId?: string
}) {
	await assertHumanUser({ userId, what: 'API tokens' })
	const { id, secretHash, token } = newSplitToken(TOKEN_PREFIX)
	const row = await prisma.apiToken.create({ data: { id, secretHash, userId, name, scope, expiresAt } })
	await recordAudit({
		actorId,
		action: 'token.created',
		targetType: 'api_token',
		targetId: id,
		data: { userId, name, scope, expiresAt: expiresAt?.toISOString() ?? null },
	})
	return { token, id: row.id, name: row.name, scope: row.scope, expiresAt: row.expiresAt, createdAt: row.createdAt }
}

export async function listApiTokens({ userId }: { userId: string }) {
	return prisma.apiToken.findMany({
		where: { userId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
		select: { id: true, name: true, scope: true, expiresAt: true, createdAt: true, lastUsedAt: true },
		orderBy: { createdAt: 'desc' },
	})
}

export async function revokeApiToken({ userId, tokenId }: { userId: string; tokenId: string }) {
	const { count } = await prisma.apiToken.updateMany({
		where: { id: tokenId, userId, revokedAt: null },
		data: { revokedAt: new Date() },
	})
	if (count === 0) throw notFound('No such token')
	await recordAudit({ actorId: userId, action: 'token.revoked', targetType: 'api_token', targetId: tokenId })
}

export async function authenticateApiToken(token: string, now = new Date()): Promise<SessionUser | null> {
	return (await verifyApiToken(token, now))?.user ?? null
}

/** The token's user and scope, or null for a token that is unknown, revoked, expired or whose user is disabled. */
export async function verifyApiToken(
	token: string,
	now = new Date(),
): Promise<{ user: SessionUser; scope: TokenScope } | null> {
	const parts = parseSplitToken(token, TOKEN_PREFIX)
	if (!parts) return null
	// Every API request passes through here, so the token and its user come back in one round trip.
	const [row] = await sql<{
		secret_hash: Buffer
		revoked_at: Date | null
		expires_at: Date | null
		scope: TokenScope
		last_used_at: Date | null
		id: string
		email: string
		display_name: string
		roles: SessionUser['roles']
		disabled_at: Date | null
		kind: string
	}>({
		name: 'quorum_authenticate_api_token',
		text: `SELECT t.secret_hash, t.revoked_at, t.expires_at, t.scope::text AS scope, t.last_used_at, u.id::text, u.email, u.display_name, u.roles::text[] AS roles, u.disabled_at, u.kind::text AS kind
			FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1`,
		values: [parts.id],
	})
	if (!row || row.revoked_at || row.disabled_at || row.kind !== 'human') return null
	if (row.expires_at && row.expires_at.getTime() <= now.getTime()) return null
	if (!secretMatches(parts.secret, new Uint8Array(row.secret_hash))) return null
	if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
		await prisma.apiToken.updateMany({ where: { id: parts.id }, data: { lastUsedAt: now } })
	}
	return { user: { id: row.id, email: row.email, displayName: row.display_name, roles: row.roles }, scope: row.scope }
}
