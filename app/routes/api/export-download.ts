import type { Route } from './+types/export-download'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { archiveResponse, openExportArchive } from '#app/modules/exports/download-export.server.ts'
import { apiRoute, methodNotAllowed } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiPermission(request, 'create:exports')
	return archiveResponse(await openExportArchive({ exportId: params.id, user }))
})

export const action = methodNotAllowed(['GET'])
