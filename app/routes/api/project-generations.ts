import type { Route } from './+types/project-generations'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { listGenerations } from '#app/modules/generations/get-generation.server.ts'
import { requestGeneration } from '#app/modules/generations/request-generation.server.ts'
import { apiRoute, json, methodNotAllowed, readJsonBody } from '#app/utils/http.server.ts'
import { clientIp } from '#app/utils/request.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiPermission(request, 'run:models')
	return json({ generations: await listGenerations({ slug: params.slug, user }) })
})

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST'])()
	const user = await requireApiPermission(request, 'run:models')
	const created = await requestGeneration({
		slug: params.slug,
		user,
		input: await readJsonBody(request),
		ip: clientIp(request),
	})
	return json(created, { status: 202, headers: { Location: `/api/v1/generations/${created.id}` } })
})
