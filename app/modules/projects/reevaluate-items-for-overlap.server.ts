import type { Prisma } from '#app/generated/prisma/client.ts'
import type { OverlapPolicy } from './overlap-policy.ts'

/**
 * After the overlap policy changed to adaptive, inside the settings transaction: every regular
 * item's target and open state under it. Open below the minimum, or below the maximum while its
 * stored confidence is short of the target (an item judged before its posterior was ever computed
 * counts as unsure; the next analytics refresh settles it). Items still waiting for generated
 * responses stay closed. A fixed overlap's targets are hybrid routing's (route-items.ts).
 */
export async function reevaluateItemsForOverlap({
	tx,
	projectId,
	policy,
}: {
	tx: Prisma.TransactionClient
	projectId: string
	policy: Extract<OverlapPolicy, { mode: 'adaptive' }>
}) {
	await tx.$executeRaw`
		UPDATE items SET is_open = next.open,
			target_count = CASE WHEN judgment_count < ${policy.min} THEN NULL WHEN next.open THEN judgment_count + 1 ELSE judgment_count END,
			completed_at = CASE WHEN next.open THEN NULL ELSE coalesce(completed_at, now()) END
		FROM (
			SELECT i.id, i.judgment_count < ${policy.min}
				OR (i.judgment_count < ${policy.max} AND coalesce(quorum_confidence(i.ds_log_post), 0) < ${policy.confidence}) AS open
			FROM items i WHERE i.project_id = ${projectId}::uuid AND NOT i.is_gold AND NOT i.awaiting_responses
		) next
		WHERE items.id = next.id`
}
