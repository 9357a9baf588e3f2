import { z } from 'zod'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { prisma, sql } from '#app/utils/db.server.ts'
import { notFound } from '#app/utils/errors.ts'
import type { SessionUser } from './session.server.ts'
import { newSplitToken, parseSplitToken, secretMatches } from './secrets.server.ts'

export const TOKEN_PREFIX = 'qrm_'
const LAST_USED_RESOLUTION_MS = 60_000

export const TokenNameSchema = z
	.string({ error: 'Name is required' })
	.trim()
	.min(1, 'Name is required')
	.max(100, 'Name must be at most 100 characters')

/** Returns the clear-text token once; only its hash is stored. */
export async function createApiToken({ userId, name, actorId = userId }: { userId: string; name: string; actorId?: string }) {
	const { id, secretHash, token } = newSplitToken(TOKEN_PREFIX)
	const row = await prisma.apiToken.create({ data: { id, secretHash, userId, name } })
	await recordAudit({ actorId, action: 'token.created', targetType: 'api_token', targetId: id, data: { userId, name } })
	return { token, id: row.id, name: row.name, createdAt: row.createdAt }
}

export async function listApiTokens({ userId }: { userId: string }) {
	return prisma.apiToken.findMany({
		where: { userId, revokedAt: null },
		select: { id: true, name: true, createdAt: true, lastUsedAt: true },
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
	const parts = parseSplitToken(token, TOKEN_PREFIX)
	if (!parts) return null
	// Every API request passes through here, so the token and its user come back in one round trip.
	const [row] = await sql<{
		secret_hash: Buffer
		revoked_at: Date | null
		last_used_at: Date | null
		id: string
		email: string
		display_name: string
		roles: SessionUser['roles']
		disabled_at: Date | null
	}>({
		name: 'quorum_authenticate_api_token',
		text: `SELECT t.secret_hash, t.revoked_at, t.last_used_at, u.id::text, u.email, u.display_name, u.roles::text[] AS roles, u.disabled_at
			FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1`,
		values: [parts.id],
	})
	if (!row || row.revoked_at || row.disabled_at) return null
	if (!secretMatches(parts.secret, new Uint8Array(row.secret_hash))) return null
	if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
		await prisma.apiToken.updateMany({ where: { id: parts.id }, data: { lastUsedAt: now } })
	}
	return { id: row.id, email: row.email, displayName: row.display_name, roles: row.roles }
}
