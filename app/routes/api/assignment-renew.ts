import type { Route } from './+types/assignment-renew'
import { renewLease } from '#app/modules/assignments/renew-lease.server.ts'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json, methodNotAllowed } from '#app/utils/http.server.ts'

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireApiUser(request, { scope: 'annotate' })
	return json({ lease: await renewLease({ leaseId: params.leaseId, user }) })
})

export const loader = methodNotAllowed(['POST'])
