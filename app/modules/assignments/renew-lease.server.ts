import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { conflict } from '#app/utils/errors.ts'
import { lockLeaseForUser } from './lock-lease.server.ts'

/** Extends an open lease by the project's lease time, counted from now. */
export async function renewLease({
	leaseId,
	user,
	now = new Date(),
}: {
	leaseId: string
	user: SessionUser
	now?: Date
}) {
	return prisma.$transaction(async (tx) => {
		const lease = await lockLeaseForUser(tx, { leaseId, userId: user.id })
		if (lease.state !== 'active')
			throw conflict('This assignment is already closed', { reason: `lease_${lease.state}` })
		if (lease.expires_at.getTime() <= now.getTime()) {
			throw conflict('This assignment expired; submit it anyway, or take the next item', { reason: 'lease_expired' })
		}
		const project = await tx.project.findUniqueOrThrow({
			where: { id: lease.project_id },
			select: { leaseSeconds: true },
		})
		const expiresAt = new Date(now.getTime() + project.leaseSeconds * 1000)
		await tx.lease.update({ where: { id: leaseId }, data: { expiresAt }, select: { id: true } })
		return { id: leaseId, expiresAt: expiresAt.toISOString() }
	})
}
