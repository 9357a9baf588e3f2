import { prisma } from '#app/utils/db.server.ts'

/**
 * Human judgments hybrid routing spared a fixed-overlap project: items where the AI judge was
 * consistent and confident ask for fewer than the overlap (`items.target_count`), so the
 * savings are Σ over regular items of max(0, overlap − target).
 */
export type RoutingSavings = Awaited<ReturnType<typeof getRoutingSavings>>

export async function getRoutingSavings({ projectId, overlap }: { projectId: string; overlap: number }) {
	const [row] = await prisma.$queryRaw<{ saved: number; items: number; regular: number }[]>`
		SELECT coalesce(sum(greatest(0, ${overlap}::int - coalesce(target_count, ${overlap}::int))), 0)::int AS saved,
			count(*) FILTER (WHERE coalesce(target_count, ${overlap}::int) < ${overlap}::int)::int AS items,
			count(*)::int AS regular
		FROM items WHERE project_id = ${projectId}::uuid AND NOT is_gold`
	const regular = row?.regular ?? 0
	/** `items`: regular items that ask for fewer; `fullOverlap`: the judgments every regular item would ask for without routing. */
	return { saved: row?.saved ?? 0, items: row?.items ?? 0, fullOverlap: regular * overlap }
}
