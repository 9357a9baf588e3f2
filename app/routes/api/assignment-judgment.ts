import type { Route } from './+types/assignment-judgment'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json, readJsonBody, methodNotAllowed } from '#app/utils/http.server.ts'

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireApiUser(request, { scope: 'annotate' })
	const body = await readJsonBody(request)
	const result = await submitJudgment({ leaseId: params.leaseId, user, input: body })
	return json({ judgment: result.judgment, replay: result.replay }, result.replay ? 200 : 201)
})

export const loader = methodNotAllowed(['POST'])
