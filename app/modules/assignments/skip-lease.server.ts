import { Prisma } from '#app/generated/prisma/client.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { conflict } from '#app/utils/errors.ts'
import { SkipInputSchema } from './judgment.schema.ts'
import { lockLeaseForUser } from './lock-lease.server.ts'

/** Gives an item back without judging it; the item is not offered to this annotator again. Repeating a skip is harmless. */
export async function skipLease({
	leaseId,
	user,
	input,
	now = new Date(),
}: {
	leaseId: string
	user: SessionUser
	input: unknown
	now?: Date
}) {
	const { reason } = SkipInputSchema.parse(input)
	return prisma.$transaction(async (tx) => {
		const lease = await lockLeaseForUser(tx, { leaseId, userId: user.id })
		if (lease.state === 'skipped') return { skipped: true, replay: true }
		if (lease.state !== 'active') throw conflict(`This assignment is already ${lease.state}`)
		await tx.lease.update({
			where: { id: leaseId },
			data: { state: 'skipped', closedAt: now, draft: Prisma.DbNull },
			select: { id: true },
		})
		await tx.skip.create({
			data: { leaseId, itemId: lease.item_id, userId: user.id, reason: reason || null, createdAt: now },
		})
		return { skipped: true, replay: false }
	})
}
