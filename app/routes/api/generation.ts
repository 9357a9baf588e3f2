import type { Route } from './+types/generation'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { cancelGeneration } from '#app/modules/generations/cancel-generation.server.ts'
import { getGeneration } from '#app/modules/generations/get-generation.server.ts'
import { apiRoute, json, methodNotAllowed } from '#app/utils/http.server.ts'
import { clientIp } from '#app/utils/request.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiPermission(request, 'run:models')
	return json(await getGeneration({ id: params.id, user }))
})

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'DELETE') return methodNotAllowed(['GET', 'DELETE'])()
	const user = await requireApiPermission(request, 'run:models')
	return json(await cancelGeneration({ id: params.id, user, ip: clientIp(request) }))
})
