import type { Route } from './+types/projects'
import { requireApiPermission, requireApiUser } from '#app/modules/auth/require.server.ts'
import { createProject } from '#app/modules/projects/create-project.server.ts'
import { getProjectDetails } from '#app/modules/projects/get-project-details.server.ts'
import { listProjects } from '#app/modules/projects/list-projects.server.ts'
import { assertCanReadProjects } from '#app/modules/projects/policies.ts'
import { ProjectListQuerySchema, type CreateProjectInput } from '#app/modules/projects/project.schema.ts'
import { apiRoute, json, methodNotAllowed, readJsonBody } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request }: Route.LoaderArgs) => {
	const user = await requireApiUser(request)
	assertCanReadProjects(user)
	const query = ProjectListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	return json(await listProjects({ user, query }))
})

export const action = apiRoute(async ({ request }: Route.ActionArgs) => {
	if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST'])()
	const user = await requireApiPermission(request, 'manage:projects')
	const input = (await readJsonBody(request)) as CreateProjectInput
	const project = await createProject({ input, actorId: user.id })
	return json(await getProjectDetails({ slug: project.slug, user }), 201)
})
