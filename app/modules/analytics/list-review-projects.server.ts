import type { ProjectStatus, TaskType } from '#app/generated/prisma/enums.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { forbidden } from '#app/utils/errors.ts'
import { logger } from '#app/utils/logger.server.ts'
import { hasPermission, hasRole } from '#app/utils/permissions.ts'
import { enqueue } from '#app/modules/jobs/enqueue.server.ts'
import { SYNC_JUDGMENT_LIMIT } from './analytics.types.ts'
import { countJudgmentsUpTo } from './count-judgments-up-to.server.ts'
import { refreshProjectAnalytics } from './refresh-project-analytics.server.ts'

/** Projects computed on the spot per request, so the list stays quick when many are new. */
const SYNC_REFRESHES_PER_REQUEST = 5

type Row = {
	id: string
	slug: string
	name: string
	task_type: TaskType
	status: ProjectStatus
	open_count: number | null
	adjudicated_count: number | null
	computed_at: Date | null
}

function query(user: SessionUser) {
	const all = hasRole(user, 'admin')
	return prisma.$queryRaw<Row[]>`
		SELECT p.id::text, p.slug, p.name, p.task_type::text, p.status::text,
			(s.data->>'openCount')::int AS open_count, (s.data->>'adjudicatedCount')::int AS adjudicated_count, s.computed_at
		FROM projects p
		LEFT JOIN analytics_snapshots s ON s.project_id = p.id AND s.kind = 'review-queue'
		WHERE p.status <> 'archived'
			AND (${all} OR EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = ${user.id}::uuid AND m.role = 'reviewer'))
		ORDER BY (s.data->>'openCount')::int DESC NULLS LAST, p.created_at DESC`
}

/**
 * The projects the user reviews (every one that is not archived for admins, their reviewer
 * memberships for reviewers), with the size of each review queue from its latest snapshot.
 * Projects never computed are computed now when small, or handed to the worker.
 */
export async function listReviewProjects({ user }: { user: SessionUser }) {
	if (!hasPermission(user, 'adjudicate:items')) throw forbidden('Reviewing needs the reviewer or admin role')
	let rows = await query(user)
	let refreshed = 0
	for (const row of rows.filter((candidate) => candidate.computed_at === null)) {
		if ((await countJudgmentsUpTo({ projectId: row.id, limit: SYNC_JUDGMENT_LIMIT })) >= SYNC_JUDGMENT_LIMIT) {
			await enqueue({ job: 'analytics.refresh', payload: { projectId: row.id }, id: row.id }).catch((error: unknown) =>
				logger.error('could not queue an analytics refresh', {
					projectId: row.id,
					error: error instanceof Error ? error.message : String(error),
				}),
			)
		} else if (refreshed < SYNC_REFRESHES_PER_REQUEST) {
			await refreshProjectAnalytics({ projectId: row.id })
			refreshed++
		}
	}
	if (refreshed > 0) rows = await query(user)
	return rows.map((row) => ({
		slug: row.slug,
		name: row.name,
		taskType: row.task_type,
		status: row.status,
		openCount: row.open_count,
		adjudicatedCount: row.adjudicated_count,
		computedAt: row.computed_at?.toISOString() ?? null,
	}))
}
