import type { Prisma } from '#app/generated/prisma/client.ts'
import { assertUuid, notFound } from '#app/utils/errors.ts'
import { lockLeaseQuery, type LockedLeaseRow } from './assignments.queries.ts'

/** The caller's lease, locked until the transaction ends; anyone else's is not found. */
export async function lockLeaseForUser(
	tx: Prisma.TransactionClient,
	{ leaseId, userId }: { leaseId: string; userId: string },
) {
	assertUuid(leaseId, 'assignment')
	const [lease] = await tx.$queryRaw<LockedLeaseRow[]>(lockLeaseQuery(leaseId))
	if (!lease || lease.user_id !== userId) throw notFound('No such assignment')
	return lease
}
