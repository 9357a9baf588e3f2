import { prisma } from '#app/utils/db.server.ts'

/** One line of each item's prompt (or its last chat message) for lists; plain text, never HTML. */
export async function loadItemPreviews({ itemIds, length = 160 }: { itemIds: string[]; length?: number }) {
	if (itemIds.length === 0) return new Map<string, string>()
	const rows = await prisma.$queryRaw<{ id: string; preview: string | null }[]>`
		SELECT id::text, left(coalesce(context->>'prompt', context->'messages'->-1->>'content', ''), ${length + 1}) AS preview
		FROM items WHERE id = ANY(${itemIds}::uuid[])`
	return new Map(
		rows.map((row) => {
			const text = (row.preview ?? '').replace(/\s+/g, ' ').trim()
			return [row.id, text.length > length ? `${text.slice(0, length - 1)}…` : text] as const
		}),
	)
}
