import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import type { Assignment } from '#app/modules/assignments/serialize-assignment.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { asSessionUser } from './judgments.ts'

export type Decision = {
	ranking: string[][]
	bothBad?: boolean
	strength?: number | null
	criteria?: Record<string, Record<string, number>>
	rationale?: string
	activeMs?: number
}

/**
 * Has an annotator judge every item they are served, through the assignment engine, deciding
 * each one with `decide` (which sees the item as served: display order, and models when shown).
 * `gold` makes the engine serve gold items first. Returns how many were judged.
 */
export async function judgeAll({
	slug,
	annotator,
	decide,
	gold = false,
}: {
	slug: string
	annotator: SessionUser
	decide: (assignment: Assignment, index: number) => Decision
	gold?: boolean
}) {
	const user = asSessionUser(annotator)
	let index = 0
	for (;;) {
		const assignment = await claimNext({ slug, user, random: () => (gold ? 0 : 1) })
		if (!assignment) return index
		const decision = decide(assignment, index)
		await submitJudgment({
			leaseId: assignment.lease.id,
			user,
			input: { activeMs: 12_000, ...decision, idempotencyKey: `${assignment.lease.id}-analytics` },
		})
		index++
	}
}

/** The ranking that puts `best` first and the other response second (pairwise). */
export function prefer(assignment: Assignment, best: string): string[][] {
	const other = assignment.item.responses.map((response) => response.id).find((id) => id !== best)!
	return [[best], [other]]
}

/** The number in an item's external id (`item-3` → 3). */
export const itemNumber = (assignment: Assignment) => Number(/(\d+)$/.exec(assignment.item.externalId)?.[1] ?? 0)
