import type { Route } from './+types/model-endpoint-test'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { testModelEndpoint } from '#app/modules/models/test-endpoint.server.ts'
import { apiRoute, json, methodNotAllowed } from '#app/utils/http.server.ts'

export const loader = methodNotAllowed(['POST'])

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'POST') return methodNotAllowed(['POST'])()
	const user = await requireApiPermission(request, 'manage:models')
	return json(await testModelEndpoint({ user, id: params.id }))
})
