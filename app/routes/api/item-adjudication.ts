import type { Route } from './+types/item-adjudication'
import { adjudicateItem } from '#app/modules/analytics/adjudicate-item.server.ts'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { apiRoute, json, methodNotAllowed, readJsonBody } from '#app/utils/http.server.ts'
import { clientIp } from '#app/utils/request.server.ts'

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'POST') return methodNotAllowed(['POST'])()
	const user = await requireApiPermission(request, 'adjudicate:items')
	const result = await adjudicateItem({
		itemId: params.id,
		user,
		input: await readJsonBody(request),
		ip: clientIp(request),
	})
	return json(result, 201)
})

export const loader = methodNotAllowed(['POST'])
