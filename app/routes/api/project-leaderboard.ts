import type { Route } from './+types/project-leaderboard'
import { getProjectAnalytics } from '#app/modules/analytics/get-project-analytics.server.ts'
import { leaderboardView, LeaderboardViewQuerySchema } from '#app/modules/analytics/leaderboard-view.ts'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiUser(request)
	const query = LeaderboardViewQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	const { data, computedAt } = await getProjectAnalytics({ slug: params.slug, user, kinds: ['leaderboard'] })
	if (!data)
		return json(
			{ status: 'pending', computedAt: null, detail: 'Not computed yet: the worker is computing these figures.' },
			202,
		)
	const snapshot = data.leaderboard
	const view = leaderboardView({ snapshot, query })
	if (!view.control && !view.category) return json({ status: 'ready', computedAt, ...snapshot })
	const { rows, ...chosen } = view
	return json({ status: 'ready', computedAt, ...snapshot, rows, view: chosen })
})
