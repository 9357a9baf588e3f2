import type { Route } from './+types/model-endpoint'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { deleteModelEndpoint, getModelEndpoint, updateModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import { apiRoute, json, methodNotAllowed, readJsonBody } from '#app/utils/http.server.ts'
import { clientIp } from '#app/utils/request.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiPermission(request, 'manage:models')
	return json(await getModelEndpoint({ user, id: params.id }))
})

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireApiPermission(request, 'manage:models')
	if (request.method === 'PATCH') {
		return json(
			await updateModelEndpoint({ user, id: params.id, input: await readJsonBody(request), ip: clientIp(request) }),
		)
	}
	if (request.method === 'DELETE') {
		await deleteModelEndpoint({ user, id: params.id, ip: clientIp(request) })
		return new Response(null, { status: 204 })
	}
	return methodNotAllowed(['GET', 'PATCH', 'DELETE'])()
})
