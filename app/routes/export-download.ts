import type { Route } from './+types/export-download'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { archiveResponse, openExportArchive } from '#app/modules/exports/download-export.server.ts'
import { route } from '#app/utils/route.server.ts'

// The browser's download link: the same archive as the API, authorized by the session.
export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUserWithPermission(request, 'create:exports')
	return archiveResponse(await openExportArchive({ exportId: params.id, user }))
})
