import type { Route } from './+types/project-review-queue'
import { getReviewQueue } from '#app/modules/analytics/get-review-queue.server.ts'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiUser(request)
	const queue = await getReviewQueue({
		slug: params.slug,
		user,
		query: Object.fromEntries(new URL(request.url).searchParams),
	})
	const body = {
		status: queue.computed ? 'ready' : 'pending',
		computedAt: queue.computedAt,
		updatedAt: queue.updatedAt,
		openCount: queue.openCount,
		adjudicatedCount: queue.adjudicatedCount,
		filter: queue.status,
		disagreement: queue.disagreement,
		dawidSkeneDisagreeCount: queue.dawidSkeneDisagreeCount,
		page: queue.page,
		pageSize: queue.pageSize,
		total: queue.total,
		items: queue.items,
	}
	return json(body, queue.computed ? 200 : 202)
})
