import { prisma } from '#app/utils/db.server.ts'

/**
 * Projects whose judgments, or whose settings (which decide what counts: AI judges, self-identifying
 * battles, criteria), changed after their analytics were last computed (or never were).
 */
export async function findProjectsWithStaleAnalytics({ limit = 50 }: { limit?: number } = {}) {
	const rows = await prisma.$queryRaw<{ id: string }[]>`
		SELECT p.id::text FROM projects p
		WHERE p.status <> 'archived'
			AND EXISTS (SELECT 1 FROM judgments j WHERE j.project_id = p.id)
			AND (
				p.updated_at > COALESCE((SELECT min(s.computed_at) FROM analytics_snapshots s WHERE s.project_id = p.id), '-infinity')
				OR EXISTS (
					SELECT 1 FROM judgments j WHERE j.project_id = p.id
						AND j.updated_at > COALESCE((SELECT min(s.computed_at) FROM analytics_snapshots s WHERE s.project_id = p.id), '-infinity')
				)
			)
		ORDER BY p.updated_at DESC
		LIMIT ${limit}`
	return rows.map((row) => row.id)
}
