import type { Route } from './+types/project-judge-runs'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { listJudgeRuns } from '#app/modules/judging/get-judge-run.server.ts'
import { requestJudgeRun } from '#app/modules/judging/request-judge-run.server.ts'
import { apiRoute, json, methodNotAllowed, readJsonBody } from '#app/utils/http.server.ts'
import { clientIp } from '#app/utils/request.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiPermission(request, 'run:models')
	return json({ judgeRuns: await listJudgeRuns({ slug: params.slug, user }) })
})

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST'])()
	const user = await requireApiPermission(request, 'run:models')
	const created = await requestJudgeRun({
		slug: params.slug,
		user,
		input: await readJsonBody(request),
		ip: clientIp(request),
	})
	return json(created, { status: 202, headers: { Location: `/api/v1/judge-runs/${created.id}` } })
})
