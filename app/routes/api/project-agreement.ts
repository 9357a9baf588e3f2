import type { Route } from './+types/project-agreement'
import { getProjectAnalytics } from '#app/modules/analytics/get-project-analytics.server.ts'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiUser(request)
	const { data, computedAt } = await getProjectAnalytics({ slug: params.slug, user, kinds: ['agreement'] })
	if (!data)
		return json(
			{ status: 'pending', computedAt: null, detail: 'Not computed yet: the worker is computing these figures.' },
			202,
		)
	return json({ status: 'ready', computedAt, ...data.agreement })
})
