import type { Route } from './+types/judgment'
import { editJudgment } from '#app/modules/assignments/edit-judgment.server.ts'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { apiRoute, json, methodNotAllowed, readJsonBody } from '#app/utils/http.server.ts'

export const action = apiRoute(async ({ request, params }: Route.ActionArgs) => {
	if (request.method !== 'PATCH') throw new AppError('BAD_REQUEST', 'Use PATCH to edit a judgment')
	const user = await requireApiUser(request, { scope: 'annotate' })
	const result = await editJudgment({ judgmentId: params.id, user, input: await readJsonBody(request) })
	return json(result)
})

export const loader = methodNotAllowed(['PATCH'])
