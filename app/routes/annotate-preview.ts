import type { Route } from './+types/annotate-preview'
import { previewNext } from '#app/modules/assignments/preview-next.server.ts'
import { getUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json, problem } from '#app/utils/http.server.ts'

/** The likely next item, read-only (`previewNext`): the workspace prefetches it while the annotator works. */
export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await getUser(request)
	if (!user) return problem(401, 'Your session has expired.', { code: 'session_expired' })
	return json({ preview: await previewNext({ slug: params.slug, user }) })
})
