import { setTimeout } from 'node:timers/promises'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { skipLease } from '#app/modules/assignments/skip-lease.server.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'

export const asSessionUser = (user: SessionUser): SessionUser => ({
	id: user.id,
	email: user.email,
	displayName: user.displayName,
	roles: user.roles,
})

/** Has an annotator (a member of the active project) judge the next item they are served. */
export async function judgeNext({
	slug,
	annotator,
	activeMs = 10_000,
}: {
	slug: string
	annotator: SessionUser
	activeMs?: number
}) {
	const assignment = await claimNext({ slug, user: asSessionUser(annotator) })
	if (!assignment) throw new Error('no work to judge')
	const ids = assignment.item.responses.map((response) => response.id)
	await submitJudgment({
		leaseId: assignment.lease.id,
		user: asSessionUser(annotator),
		input: {
			ranking: ids.map((id) => [id]),
			strength: assignment.project.strength ? 1 : undefined,
			activeMs,
			idempotencyKey: `${assignment.lease.id}-judge`,
		},
	})
	return assignment
}

export async function skipNext({ slug, annotator }: { slug: string; annotator: SessionUser }) {
	const assignment = await claimNext({ slug, user: asSessionUser(annotator) })
	if (!assignment) throw new Error('no work to skip')
	await skipLease({ leaseId: assignment.lease.id, user: asSessionUser(annotator), input: { reason: 'unsure' } })
	return assignment
}

/**
 * After a claim found nothing: whether this annotator may still be served. Claims pass over items
 * another transaction holds locked, so "nothing this instant" is not "nothing left" while an open
 * item the annotator has not leased is still short of judgments.
 */
export async function mayStillClaim({ projectId, userId }: { projectId: string; userId: string }) {
	const open = await prisma.item.count({
		where: { projectId, isOpen: true, isGold: false, leases: { none: { userId } } },
	})
	// Another annotator holds the item: give their submit a moment before claiming again.
	if (open > 0) await setTimeout(10)
	return open > 0
}
