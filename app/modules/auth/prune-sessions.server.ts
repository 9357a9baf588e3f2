import { prisma } from '#app/utils/db.server.ts'

/** Expired sessions are useless and only grow the table; the worker removes them every hour. */
export async function pruneExpiredSessions({ now = new Date() }: { now?: Date } = {}) {
	const { count } = await prisma.session.deleteMany({ where: { expiresAt: { lt: now } } })
	return { sessions: count }
}
