import { prisma } from '#app/utils/db.server.ts'
import type { OverlapPolicy } from './overlap-policy.ts'

export type OverlapSpend = {
	/** Regular items the rule has closed. */
	closedItems: number
	/** Judgments those items took. */
	spent: number
	mean: number
	/** Closed items by how many judgments they took, from 1 to the policy's ceiling. */
	histogram: { judgments: number; items: number }[]
	/** What a fixed overlap at the adaptive maximum would have spent on the same items. */
	fixedEquivalent: number
	fixedOverlap: number
}

/** How many judgments adaptive overlap spent per closed item, against a fixed overlap at its maximum. */
export async function getOverlapSpend({
	projectId,
	policy,
}: {
	projectId: string
	policy: Extract<OverlapPolicy, { mode: 'adaptive' }>
}): Promise<OverlapSpend> {
	const rows = await prisma.$queryRaw<{ judgments: number; items: number }[]>`
		SELECT judgment_count AS judgments, count(*)::int AS items
		FROM items WHERE project_id = ${projectId}::uuid AND NOT is_gold AND NOT is_open
		GROUP BY judgment_count ORDER BY judgment_count`
	const byCount = new Map(rows.map((row) => [row.judgments, row.items]))
	const top = Math.max(policy.max, ...byCount.keys())
	const histogram = Array.from({ length: top }, (_, i) => ({ judgments: i + 1, items: byCount.get(i + 1) ?? 0 }))
	const closedItems = rows.reduce((sum, row) => sum + row.items, 0)
	const spent = rows.reduce((sum, row) => sum + row.items * row.judgments, 0)
	return {
		closedItems,
		spent,
		mean: closedItems === 0 ? 0 : spent / closedItems,
		histogram,
		fixedEquivalent: closedItems * policy.max,
		fixedOverlap: policy.max,
	}
}
