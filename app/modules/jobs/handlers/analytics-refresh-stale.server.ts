import { findProjectsWithStaleAnalytics } from '#app/modules/analytics/find-stale-analytics.server.ts'
import { enqueue } from '../enqueue.server.ts'
import type { JobHandler } from '../registry.ts'

/** Keeps the quality pages current without anyone pressing Recompute. */
const handle: JobHandler<Record<string, never>> = async ({ log }) => {
	const projectIds = await findProjectsWithStaleAnalytics()
	for (const projectId of projectIds) {
		// One job id per project and cron tick, so a slow refresh is not queued twice.
		await enqueue({ job: 'analytics.refresh', payload: { projectId } })
	}
	if (projectIds.length) log.info('queued analytics refreshes', { projects: projectIds.length })
	return { queued: projectIds.length }
}

export default handle
