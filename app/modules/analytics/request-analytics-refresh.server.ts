import { createHash } from 'node:crypto'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { enqueue } from '#app/modules/jobs/enqueue.server.ts'
import { SYNC_JUDGMENT_LIMIT } from './analytics.types.ts'
import { countJudgmentsUpTo } from './count-judgments-up-to.server.ts'
import { refreshProjectAnalytics } from './refresh-project-analytics.server.ts'

/** One job id per project and minute, so a burst of clicks queues one refresh. */
function refreshJobId(projectId: string, now: Date) {
	const hex = createHash('sha256')
		.update(`analytics.refresh:${projectId}:${Math.floor(now.getTime() / 60_000)}`)
		.digest('hex')
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/**
 * "Recompute" on the quality pages, for admins and the project's reviewers: a small project is
 * recomputed now; a large one is handed to the worker (job analytics.refresh).
 */
export async function requestAnalyticsRefresh({
	slug,
	user,
	now = new Date(),
}: {
	slug: string
	user: SessionUser
	now?: Date
}) {
	const project = await getProjectForUser({ slug, user, access: 'review' })
	if ((await countJudgmentsUpTo({ projectId: project.id, limit: SYNC_JUDGMENT_LIMIT })) < SYNC_JUDGMENT_LIMIT) {
		const result = await refreshProjectAnalytics({ projectId: project.id, now })
		return { status: 'refreshed' as const, computedAt: result.computedAt }
	}
	await enqueue({ job: 'analytics.refresh', payload: { projectId: project.id }, id: refreshJobId(project.id, now) })
	return { status: 'queued' as const, computedAt: null }
}
