import type { Route } from './+types/assignment-skip'
import { skipLease } from '#app/modules/assignments/skip-lease.server.ts'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json, readJsonBody, methodNotAllowed } from '#app/utils/http.server.ts'

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireApiUser(request, { scope: 'annotate' })
	const body = request.headers.get('Content-Length') === '0' ? {} : await readJsonBody(request).catch(() => ({}))
	return json(await skipLease({ leaseId: params.leaseId, user, input: body }))
})

export const loader = methodNotAllowed(['POST'])
