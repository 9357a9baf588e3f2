import type { Route } from './+types/project-items'
import { requireApiPermission, requireApiUser } from '#app/modules/auth/require.server.ts'
import { importFromRequest, importReportResponse } from '#app/modules/imports/import-request.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { listItemsByCursor } from '#app/modules/projects/list-items.server.ts'
import { assertCanReadProjects } from '#app/modules/projects/policies.ts'
import { ItemCursorQuerySchema } from '#app/modules/projects/project.schema.ts'
import { apiRoute, json, methodNotAllowed } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiUser(request)
	assertCanReadProjects(user)
	const query = ItemCursorQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	const project = await getProjectForUser({ slug: params.slug, user, access: 'read' })
	return json(
		await listItemsByCursor({ projectId: project.id, ...query, comparison: project.taskType === 'comparison' }),
	)
})

// The body is the file itself and is streamed: never read whole into memory.
export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST'])()
	const user = await requireApiPermission(request, 'import:items')
	return importReportResponse(await importFromRequest({ request, slug: params.slug, user }))
})
