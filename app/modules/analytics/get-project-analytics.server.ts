import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { enqueue } from '#app/modules/jobs/enqueue.server.ts'
import { SYNC_JUDGMENT_LIMIT, type AnalyticsKind, type SnapshotData } from './analytics.types.ts'
import { assertCanReadAnalytics, canReviewProject } from './analytics-policies.ts'
import { countJudgmentsUpTo } from './count-judgments-up-to.server.ts'
import { refreshProjectAnalytics } from './refresh-project-analytics.server.ts'

/**
 * The stored analytics of a project for someone who may read them (admins and engineers on every
 * project, reviewers on theirs). Without snapshots, a small project is computed on the spot and
 * a large one is handed to the worker; `data` is null until it is done.
 */
export async function getProjectAnalytics<K extends AnalyticsKind>({
	slug,
	user,
	kinds,
}: {
	slug: string
	user: SessionUser
	kinds: readonly K[]
}) {
	assertCanReadAnalytics(user)
	const project = await getProjectForUser({ slug, user, access: 'read' })
	const read = () => prisma.analyticsSnapshot.findMany({ where: { projectId: project.id, kind: { in: [...kinds] } } })
	let rows = await read()
	if (rows.length < kinds.length) {
		if ((await countJudgmentsUpTo({ projectId: project.id, limit: SYNC_JUDGMENT_LIMIT })) < SYNC_JUDGMENT_LIMIT) {
			await refreshProjectAnalytics({ projectId: project.id })
			rows = await read()
		} else {
			// The job id is the project's, so every page view while it waits queues the refresh once.
			await enqueue({ job: 'analytics.refresh', payload: { projectId: project.id }, id: project.id }).catch(
				(error: unknown) =>
					logger.error('could not queue an analytics refresh', {
						projectId: project.id,
						error: error instanceof Error ? error.message : String(error),
					}),
			)
		}
	}
	const complete = rows.length === kinds.length
	const computedAt = complete ? new Date(Math.min(...rows.map((row) => row.computedAt.getTime()))).toISOString() : null
	const data = complete
		? (Object.fromEntries(rows.map((row) => [row.kind, row.data])) as unknown as Pick<SnapshotData, K>)
		: null
	return { project, computedAt, data, canRecompute: canReviewProject({ user, memberRoles: project.memberRoles }) }
}
