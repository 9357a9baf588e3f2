import { prisma } from '#app/utils/db.server.ts'
import type { ItemReference } from './dawid-skene-analytics.ts'

/** Ids, external ids and response keys (in stored order) of a project's items, by seq. */
export async function loadItemReferences({ projectId, seqs }: { projectId: string; seqs: number[] }) {
	const rows = await prisma.$queryRaw<{ seq: number; id: string; external_id: string; keys: string[] }[]>`
		SELECT i.seq::float8 AS seq, i.id::text, i.external_id, array_agg(r.key ORDER BY r.position) AS keys
		FROM items i JOIN responses r ON r.item_id = i.id
		WHERE i.project_id = ${projectId}::uuid AND i.seq = ANY(${seqs.map(String)}::bigint[])
		GROUP BY i.id`
	return new Map<number, ItemReference>(
		rows.map((row) => [row.seq, { itemId: row.id, externalId: row.external_id, keys: row.keys }]),
	)
}
