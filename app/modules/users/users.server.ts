import type { Prisma, Role } from '#app/generated/prisma/client.ts'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { hashPassword } from '#app/modules/auth/password.server.ts'
import { invalidateUserSessions } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError, conflict, notFound } from '#app/utils/errors.ts'
import type { UserListQuery } from './users.schema.ts'

const publicUser = { id: true, email: true, displayName: true, roles: true, disabledAt: true, createdAt: true } as const

export async function createUser({
	email,
	password,
	displayName,
	roles,
	actorId,
}: {
	email: string
	password: string | null
	displayName?: string
	roles: Role[]
	actorId?: string | null
}) {
	const normalized = email.trim().toLowerCase()
	const existing = await prisma.user.findUnique({ where: { email: normalized }, select: { id: true } })
	if (existing) throw conflict(`A user with email ${normalized} already exists`)
	const user = await prisma.user.create({
		data: {
			email: normalized,
			displayName: displayName ?? normalized.split('@')[0]!,
			passwordHash: password ? await hashPassword(password) : null,
			roles,
		},
		select: publicUser,
	})
	await recordAudit({
		actorId,
		action: 'user.created',
		targetType: 'user',
		targetId: user.id,
		data: { email: normalized, roles },
	})
	return user
}

export async function getUserByEmail({ email }: { email: string }) {
	const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: publicUser })
	if (!user) throw notFound(`No user with email ${email}`)
	return user
}

export async function listUsers(query: UserListQuery) {
	// AI judges are managed through their endpoints, not as people.
	const where: Prisma.UserWhereInput = { kind: 'human' }
	if (query.q) {
		where.OR = [
			{ email: { contains: query.q, mode: 'insensitive' } },
			{ displayName: { contains: query.q, mode: 'insensitive' } },
		]
	}
	if (query.role) where.roles = { has: query.role }
	if (query.status === 'active') where.disabledAt = null
	if (query.status === 'disabled') where.disabledAt = { not: null }
	const [total, users] = await Promise.all([
		prisma.user.count({ where }),
		prisma.user.findMany({
			where,
			select: publicUser,
			orderBy: [{ [query.sort]: query.dir }, { id: 'asc' }],
			skip: (query.page - 1) * query.pageSize,
			take: query.pageSize,
		}),
	])
	return { total, users, page: query.page, pageSize: query.pageSize }
}

export async function setUserRoles({ userId, roles, actorId }: { userId: string; roles: Role[]; actorId: string }) {
	const before = await prisma.user.findUnique({ where: { id: userId }, select: { roles: true, kind: true } })
	if (!before) throw notFound('No such user')
	if (before.kind === 'model') throw conflict('AI judges have no roles; they judge through judge runs only')
	if (userId === actorId && before.roles.includes('admin') && !roles.includes('admin')) {
		throw new AppError('CONFLICT', 'You cannot remove your own admin role; ask another admin')
	}
	const user = await prisma.user.update({ where: { id: userId }, data: { roles }, select: publicUser })
	await recordAudit({
		actorId,
		action: 'user.roles_changed',
		targetType: 'user',
		targetId: userId,
		data: { from: before.roles, to: roles },
	})
	return user
}

/** Disabling ends every session and API token of the user at once. */
export async function disableUser({ userId, actorId }: { userId: string; actorId?: string | null }) {
	if (userId === actorId) throw new AppError('CONFLICT', 'You cannot disable your own account')
	const user = await prisma.$transaction(async (tx) => {
		const updated = await tx.user.update({
			where: { id: userId },
			data: { disabledAt: new Date() },
			select: publicUser,
		})
		await tx.session.deleteMany({ where: { userId } })
		await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } })
		await tx.lease.updateMany({ where: { userId, state: 'active' }, data: { state: 'released', closedAt: new Date() } })
		return updated
	})
	await invalidateUserSessions(userId)
	await recordAudit({ actorId, action: 'user.disabled', targetType: 'user', targetId: userId })
	return user
}

export async function enableUser({ userId, actorId }: { userId: string; actorId: string }) {
	const user = await prisma.user.update({ where: { id: userId }, data: { disabledAt: null }, select: publicUser })
	await recordAudit({ actorId, action: 'user.enabled', targetType: 'user', targetId: userId })
	return user
}
