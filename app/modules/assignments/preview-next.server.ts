import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { currentRendering, renderItem, storeRenderingLater } from '#app/modules/content/render-item.server.ts'
import { parseItemContext } from '#app/modules/projects/json-columns.ts'
import { sql } from '#app/utils/db.server.ts'
import { assertProjectOpenForWork } from './assignment-project.ts'
import { previewNextQuery, type PreviewRow } from './assignments.queries.ts'
import { projectForAnnotation } from './project-for-annotation.server.ts'
import type { ContextView } from './workspace.server.ts'

export type ItemPreview = { id: string; externalId: string; context: ContextView; responseCount: number }

/**
 * The item the caller will most likely get next, for the workspace to fetch while the annotator
 * works on the current one. It reserves nothing: the lease still comes from the submission's answer,
 * and may be another item. Reading it renders and stores the item's HTML when that is missing, so
 * the claim after the submission reads HTML instead of rendering it.
 */
export async function previewNext({
	slug,
	user,
	now = new Date(),
}: {
	slug: string
	user: SessionUser
	now?: Date
}): Promise<ItemPreview | null> {
	const project = await projectForAnnotation({ slug, user })
	assertProjectOpenForWork(project)
	const [row] = await sql<PreviewRow>(
		previewNextQuery({ projectId: project.id, userId: user.id, overlap: project.overlap, now }),
	)
	if (!row) return null
	let rendered = currentRendering(row.rendered)
	if (!rendered) {
		rendered = renderItem({ context: parseItemContext(row.context), responses: row.responses ?? [] })
		storeRenderingLater({ itemId: row.item_id, rendered })
	}
	return {
		id: row.item_id,
		externalId: row.external_id,
		context: rendered.context,
		responseCount: row.responses?.length ?? 0,
	}
}
