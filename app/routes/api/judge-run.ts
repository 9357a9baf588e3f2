import type { Route } from './+types/judge-run'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { cancelJudgeRun } from '#app/modules/judging/cancel-judge-run.server.ts'
import { getJudgeRun } from '#app/modules/judging/get-judge-run.server.ts'
import { apiRoute, json, methodNotAllowed } from '#app/utils/http.server.ts'
import { clientIp } from '#app/utils/request.server.ts'

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiPermission(request, 'run:models')
	return json(await getJudgeRun({ id: params.id, user }))
})

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'DELETE') return methodNotAllowed(['GET', 'DELETE'])()
	const user = await requireApiPermission(request, 'run:models')
	return json(await cancelJudgeRun({ id: params.id, user, ip: clientIp(request) }))
})
