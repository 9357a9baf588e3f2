import type { Route } from './+types/project-exports'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { ExportListQuerySchema } from '#app/modules/exports/export.schema.ts'
import { listProjectExports } from '#app/modules/exports/list-exports.server.ts'
import { requestExport } from '#app/modules/exports/request-export.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { apiRoute, json, methodNotAllowed, readJsonBody } from '#app/utils/http.server.ts'
import { clientIp } from '#app/utils/request.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiPermission(request, 'create:exports')
	const project = await getProjectForUser({ slug: params.slug, user, access: 'read' })
	const query = ExportListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	return json(await listProjectExports({ projectId: project.id, user, query }))
})

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST'])()
	const user = await requireApiPermission(request, 'create:exports')
	const created = await requestExport({
		slug: params.slug,
		user,
		input: await readJsonBody(request),
		ip: clientIp(request),
	})
	return json(created, { status: 202, headers: { Location: `/api/v1/exports/${created.id}` } })
})
