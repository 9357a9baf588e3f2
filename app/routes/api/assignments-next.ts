import type { Route } from './+types/assignments-next'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json, methodNotAllowed } from '#app/utils/http.server.ts'

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireApiUser(request, { scope: 'annotate' })
	const assignment = await claimNext({ slug: params.slug, user })
	if (!assignment) return new Response(null, { status: 204 })
	const { draft: _draft, ...body } = assignment
	return json(body)
})

export const loader = methodNotAllowed(['POST'])
