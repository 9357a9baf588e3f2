import type { Route } from './+types/project-analytics-download'
import { getAnalyticsDownload } from '#app/modules/analytics/get-analytics-download.server.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { route } from '#app/utils/route.server.ts'

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	const query = { ...Object.fromEntries(new URL(request.url).searchParams), table: params.table }
	const file = await getAnalyticsDownload({ slug: params.slug, user, query })
	return new Response(file.body, {
		headers: {
			'Content-Type': file.contentType,
			'Content-Disposition': `attachment; filename="${file.filename}"`,
			'Cache-Control': 'no-store',
		},
	})
})
