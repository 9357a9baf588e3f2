import type { Route } from './+types/project-members'
import { requireApiPermission, requireApiUser } from '#app/modules/auth/require.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { addMember, listMembers, removeMember } from '#app/modules/projects/members.server.ts'
import { assertCanReadProjects } from '#app/modules/projects/policies.ts'
import { apiRoute, json, methodNotAllowed, readJsonBody } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiUser(request)
	assertCanReadProjects(user)
	const project = await getProjectForUser({ slug: params.slug, user, access: 'read' })
	return json({ members: await listMembers({ projectId: project.id }) })
})

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'POST' && request.method !== 'DELETE') return methodNotAllowed(['GET', 'POST', 'DELETE'])()
	const user = await requireApiPermission(request, 'manage:projects')
	const search = new URL(request.url).searchParams
	// DELETE bodies are dropped by some clients, so the member may also be named in the query.
	const input =
		request.method === 'DELETE' && search.has('email') ? Object.fromEntries(search) : await readJsonBody(request)
	if (request.method === 'POST') {
		const result = await addMember({ slug: params.slug, user, input })
		return json(result, result.added ? 201 : 200)
	}
	return json(await removeMember({ slug: params.slug, user, input }))
})
