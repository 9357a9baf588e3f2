import { parseItemContext } from '#app/modules/projects/json-columns.ts'
import { sql } from '#app/utils/db.server.ts'
import { notFound } from '#app/utils/errors.ts'
import { RENDER_VERSION, renderItem } from './render-item.server.ts'

type StaleRow = { id: string; context: unknown; responses: { key: string; content: string }[] }

/**
 * Renders and stores the HTML of every item (of one project, or all) that the current renderer has
 * not rendered: after RENDER_VERSION changes, or for items stored before HTML was. Batches of
 * `batchSize` in id order, so that it can be stopped and run again; items are otherwise rendered
 * when first shown.
 */
export async function rerenderItems({
	slug,
	batchSize = 200,
	onBatch,
}: { slug?: string; batchSize?: number; onBatch?: (done: number) => void } = {}) {
	let projectId: string | null = null
	if (slug) {
		const [project] = await sql<{ id: string }>({
			text: 'SELECT id::text FROM projects WHERE slug = $1',
			values: [slug],
		})
		if (!project) throw notFound(`No project "${slug}"`)
		projectId = project.id
	}
	let after = '00000000-0000-0000-0000-000000000000'
	let done = 0
	for (;;) {
		const rows = await sql<StaleRow>({
			text: `SELECT i.id::text, i.context,
					(SELECT json_agg(json_build_object('key', r.key, 'content', r.content)) FROM responses r WHERE r.item_id = i.id) AS responses
				FROM items i
				WHERE i.id > $1::uuid AND ($2::uuid IS NULL OR i.project_id = $2::uuid)
					AND (i.rendered IS NULL OR (i.rendered->>'version')::int IS DISTINCT FROM $3)
				ORDER BY i.id LIMIT $4`,
			values: [after, projectId, RENDER_VERSION, batchSize],
		})
		if (rows.length === 0) return { rendered: done }
		const rendered = rows.map((row) =>
			JSON.stringify(renderItem({ context: parseItemContext(row.context), responses: row.responses ?? [] })),
		)
		await sql({
			text: 'UPDATE items SET rendered = v.rendered FROM unnest($1::uuid[], $2::jsonb[]) AS v(id, rendered) WHERE items.id = v.id',
			values: [rows.map((row) => row.id), rendered],
		})
		done += rows.length
		after = rows.at(-1)!.id
		onBatch?.(done)
	}
}
