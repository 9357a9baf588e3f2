import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { notFound } from '#app/utils/errors.ts'
import type { SessionUser } from './session.server.ts'

/** The user's live sessions, the current one first, then the most recently used. */
export async function listUserSessions({
	user,
	currentSessionId,
	now = new Date(),
}: {
	user: SessionUser
	currentSessionId: string | null
	now?: Date
}) {
	const sessions = await prisma.session.findMany({
		where: { userId: user.id, expiresAt: { gt: now } },
		select: { id: true, createdAt: true, lastVerifiedAt: true, expiresAt: true, ip: true, userAgent: true },
		orderBy: { lastVerifiedAt: 'desc' },
	})
	return sessions
		.map((session) => ({ ...session, current: session.id === currentSessionId }))
		.sort((a, b) => Number(b.current) - Number(a.current))
}

export async function signOutSession({ user, sessionId, ip }: { user: SessionUser; sessionId: string; ip?: string }) {
	const { count } = await prisma.session.deleteMany({ where: { id: sessionId, userId: user.id } })
	if (count === 0) throw notFound('No such session')
	await recordAudit({ actorId: user.id, action: 'auth.session_signed_out', targetType: 'user', targetId: user.id, ip })
}

/** Signs out everywhere else; the session asking stays. */
export async function signOutOtherSessions({
	user,
	currentSessionId,
	ip,
}: {
	user: SessionUser
	currentSessionId: string
	ip?: string
}) {
	const { count } = await prisma.session.deleteMany({ where: { userId: user.id, id: { not: currentSessionId } } })
	await recordAudit({
		actorId: user.id,
		action: 'auth.sessions_signed_out',
		targetType: 'user',
		targetId: user.id,
		ip,
		data: { count },
	})
	return { signedOut: count }
}
