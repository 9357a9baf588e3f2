import type { Role } from '#app/generated/prisma/client.ts'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { hashPassword } from '#app/modules/auth/password.server.ts'
import { newSplitToken, parseSplitToken, secretMatches } from '#app/modules/auth/secrets.server.ts'
import { createSession } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { AppError, conflict, notFound } from '#app/utils/errors.ts'

/** The link to send: on APP_URL when it is set (behind a proxy the request's own origin may be internal). */
export function inviteUrl({
	path,
	requestOrigin,
	appUrl = getEnv().APP_URL,
}: {
	path: string
	requestOrigin: string
	appUrl?: string
}) {
	return `${(appUrl ?? requestOrigin).replace(/\/+$/, '')}${path}`
}

export async function createInvite({
	email,
	roles,
	actorId,
	now = new Date(),
	hours = getEnv().INVITE_HOURS,
}: {
	email: string
	roles: Role[]
	actorId: string
	now?: Date
	/** How long the link works; INVITE_HOURS by default. */
	hours?: number
}) {
	const normalized = email.trim().toLowerCase()
	const existing = await prisma.user.findUnique({ where: { email: normalized }, select: { id: true, kind: true } })
	if (existing?.kind === 'model') throw conflict(`${normalized} is an AI judge; AI judges cannot be invited or sign in`)
	if (existing) throw conflict(`${normalized} already has an account`)
	const { id, secretHash, token } = newSplitToken()
	const expiresAt = new Date(now.getTime() + hours * 3600_000)
	await prisma.invite.create({
		data: { id, secretHash, email: normalized, roles, createdById: actorId, createdAt: now, expiresAt },
	})
	await recordAudit({
		actorId,
		action: 'invite.created',
		targetType: 'invite',
		targetId: id,
		data: { email: normalized, roles },
	})
	return { token, path: `/invite/${token}`, expiresAt, email: normalized }
}

async function findUsableInvite(token: string, now: Date) {
	const parts = parseSplitToken(token)
	const invite = parts ? await prisma.invite.findUnique({ where: { id: parts.id } }) : null
	if (!parts || !invite || !secretMatches(parts.secret, invite.secretHash) || invite.revokedAt) {
		throw new AppError('NOT_FOUND', 'This invite link is not valid. Ask an admin for a new one.')
	}
	if (invite.acceptedAt) throw new AppError('CONFLICT', 'This invite has already been used. Log in instead.')
	if (invite.expiresAt.getTime() <= now.getTime()) {
		throw new AppError('CONFLICT', 'This invite has expired. Ask an admin for a new one.')
	}
	return invite
}

export async function getInvite({ token, now = new Date() }: { token: string; now?: Date }) {
	const invite = await findUsableInvite(token, now)
	return { email: invite.email, roles: invite.roles, expiresAt: invite.expiresAt }
}

/** Single use even under a double submit: the accepted_at update only succeeds once. */
export async function acceptInvite({
	token,
	password,
	displayName,
	ip,
	userAgent,
	now = new Date(),
}: {
	token: string
	password: string
	displayName: string
	ip?: string
	userAgent?: string | null
	now?: Date
}) {
	const invite = await findUsableInvite(token, now)
	const passwordHash = await hashPassword(password)
	const user = await prisma.$transaction(async (tx) => {
		const { count } = await tx.invite.updateMany({
			where: { id: invite.id, acceptedAt: null, expiresAt: { gt: now } },
			data: { acceptedAt: now },
		})
		if (count === 0) throw new AppError('CONFLICT', 'This invite has already been used. Log in instead.')
		const taken = await tx.user.findUnique({ where: { email: invite.email }, select: { id: true } })
		if (taken) throw new AppError('CONFLICT', `${invite.email} already has an account. Log in instead.`)
		return tx.user.create({
			data: { email: invite.email, displayName, passwordHash, roles: invite.roles },
			select: { id: true, email: true, displayName: true, roles: true },
		})
	})
	await recordAudit({ actorId: user.id, action: 'invite.accepted', targetType: 'invite', targetId: invite.id, ip })
	const session = await createSession({ userId: user.id, ip, userAgent, now })
	return { user, ...session }
}

export async function listPendingInvites() {
	return prisma.invite.findMany({
		where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
		select: { id: true, email: true, roles: true, expiresAt: true, createdAt: true },
		orderBy: { createdAt: 'desc' },
	})
}

/** An admin withdraws a pending invite; its link stops working at once. */
export async function revokeInvite({
	inviteId,
	actorId,
	now = new Date(),
}: {
	inviteId: string
	actorId: string
	now?: Date
}) {
	const { count } = await prisma.invite.updateMany({
		where: { id: inviteId, acceptedAt: null, revokedAt: null },
		data: { revokedAt: now },
	})
	if (count === 0) throw notFound('No such pending invite')
	await recordAudit({ actorId, action: 'invite.revoked', targetType: 'invite', targetId: inviteId })
}
