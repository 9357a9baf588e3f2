import type { Route } from './+types/project-annotators'
import { getProjectAnalytics } from '#app/modules/analytics/get-project-analytics.server.ts'
import { withKinds } from '#app/modules/analytics/with-kinds.ts'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiUser(request)
	const { data, computedAt } = await getProjectAnalytics({ slug: params.slug, user, kinds: ['annotators'] })
	if (!data)
		return json(
			{ status: 'pending', computedAt: null, detail: 'Not computed yet: the worker is computing these figures.' },
			202,
		)
	return json({ status: 'ready', computedAt, ...withKinds(data.annotators) })
})
