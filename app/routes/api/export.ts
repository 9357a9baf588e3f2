import type { Route } from './+types/export'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { cancelExport } from '#app/modules/exports/cancel-export.server.ts'
import { getExport } from '#app/modules/exports/get-export.server.ts'
import { apiRoute, json, methodNotAllowed } from '#app/utils/http.server.ts'
import { clientIp } from '#app/utils/request.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiPermission(request, 'create:exports')
	const withManifest = new URL(request.url).searchParams.get('manifest') === 'true'
	return json(await getExport({ exportId: params.id, user, withManifest }))
})

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'DELETE') return methodNotAllowed(['GET', 'DELETE'])()
	const user = await requireApiPermission(request, 'create:exports')
	return json(await cancelExport({ exportId: params.id, user, ip: clientIp(request) }))
})
