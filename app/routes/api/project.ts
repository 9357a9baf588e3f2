import type { Route } from './+types/project'
import { requireApiPermission, requireApiUser } from '#app/modules/auth/require.server.ts'
import { getProjectDetails } from '#app/modules/projects/get-project-details.server.ts'
import { updateProject } from '#app/modules/projects/update-project.server.ts'
import { apiRoute, json, methodNotAllowed, readJsonBody } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiUser(request)
	return json(await getProjectDetails({ slug: params.slug, user }))
})

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'PATCH') return methodNotAllowed(['GET', 'PATCH'])()
	const user = await requireApiPermission(request, 'manage:projects')
	await updateProject({ slug: params.slug, user, input: await readJsonBody(request) })
	return json(await getProjectDetails({ slug: params.slug, user }))
})
