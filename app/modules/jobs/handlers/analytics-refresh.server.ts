import { refreshProjectAnalytics } from '#app/modules/analytics/refresh-project-analytics.server.ts'
import type { JobHandler } from '../registry.ts'

const handle: JobHandler<{ projectId: string }> = async ({ payload, log }) => {
	const started = performance.now()
	const result = await refreshProjectAnalytics({ projectId: payload.projectId })
	log.info('refreshed project analytics', {
		projectId: payload.projectId,
		judgments: result.judgments,
		ms: Math.round(performance.now() - started),
	})
	return result
}

export default handle
