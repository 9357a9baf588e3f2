import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { sql } from '#app/utils/db.server.ts'
import { forbidden, notFound } from '#app/utils/errors.ts'
import { hasPermission, hasRole } from '#app/utils/permissions.ts'
import { projectForAnnotationQuery, type ProjectForAnnotationRow } from './assignments.queries.ts'

/**
 * The project an annotator asks for work on, with the current guideline version, in one round trip.
 * Admins and annotator members may annotate; anyone else who cannot see the project gets a 404.
 */
export async function projectForAnnotation({ slug, user }: { slug: string; user: SessionUser }) {
	const [row] = await sql<ProjectForAnnotationRow>(projectForAnnotationQuery({ slug, userId: user.id }))
	if (!row) throw notFound(`No project "${slug}"`)
	const allowed = hasRole(user, 'admin') || (hasRole(user, 'annotator') && row.is_annotator)
	if (!allowed) {
		if (!row.is_member && !hasPermission(user, 'read:projects:all')) throw notFound(`No project "${slug}"`)
		throw forbidden('You cannot annotate this project')
	}
	return {
		id: row.id,
		slug: row.slug,
		name: row.name,
		status: row.status,
		taskType: row.task_type,
		overlap: row.overlap,
		criteria: row.criteria,
		flags: row.flags,
		useStrength: row.use_strength,
		rationale: row.rationale,
		randomizeOrder: row.randomize_order,
		showModelNames: row.show_model_names,
		goldRate: row.gold_rate,
		leaseSeconds: row.lease_seconds,
		guidelineVersion: row.guideline_version,
	}
}
