import { Prisma } from '#app/generated/prisma/client.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError, assertUuid, notFound } from '#app/utils/errors.ts'

const MAX_DRAFT_BYTES = 200_000

/** Keeps the client's unfinished judgment on its open lease, so a reload resumes it. */
export async function saveDraft({ leaseId, user, draft }: { leaseId: string; user: SessionUser; draft: unknown }) {
	assertUuid(leaseId, 'assignment')
	const text = JSON.stringify(draft ?? null)
	if (text.length > MAX_DRAFT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'The draft is too large to save')
	const { count } = await prisma.lease.updateMany({
		where: { id: leaseId, userId: user.id, state: 'active' },
		// The draft arrived as parsed JSON, so it is a JSON value.
		data: { draft: draft === null || draft === undefined ? Prisma.DbNull : (draft as Prisma.InputJsonValue) },
	})
	if (count === 0) throw notFound('No open assignment to save a draft for')
}
