import type { Route } from './+types/model-endpoints'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { createModelEndpoint, listModelEndpoints } from '#app/modules/models/endpoints.server.ts'
import { apiRoute, json, methodNotAllowed, readJsonBody } from '#app/utils/http.server.ts'
import { clientIp } from '#app/utils/request.server.ts'

export const loader = apiRoute(async ({ request }: Route.LoaderArgs) => {
	const user = await requireApiPermission(request, 'run:models')
	return json({ endpoints: await listModelEndpoints({ user }) })
})

export const action = apiRoute(async ({ request }: Route.ActionArgs) => {
	if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST'])()
	const user = await requireApiPermission(request, 'manage:models')
	const created = await createModelEndpoint({ user, input: await readJsonBody(request), ip: clientIp(request) })
	return json(created, { status: 201, headers: { Location: `/api/v1/model-endpoints/${created.id}` } })
})
