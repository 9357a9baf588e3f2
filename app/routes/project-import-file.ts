import type { Route } from './+types/project-import-file'
import { getUser } from '#app/modules/auth/require.server.ts'
import { importFromRequest, importReportResponse } from '#app/modules/imports/import-request.server.ts'
import { canImportItems } from '#app/modules/projects/policies.ts'
import { forbidden, unauthenticated } from '#app/utils/errors.ts'
import { apiRoute } from '#app/utils/http.server.ts'

/**
 * The browser's upload endpoint: the same streamed import as POST /api/v1/projects/{slug}/items,
 * authenticated by the session cookie (the CSRF check requires a same-origin request).
 */
export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	const user = await getUser(request)
	if (!user) throw unauthenticated('Your session has ended; log in again')
	if (!canImportItems(user)) throw forbidden('Only admins can import items')
	return importReportResponse(await importFromRequest({ request, slug: params.slug, user }))
})
