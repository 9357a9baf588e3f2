import type { Route } from './+types/assignment-judgment'
import { judgmentReply } from '#app/modules/assignments/annotator-api.server.ts'
import { apiRoute, readJsonBody, methodNotAllowed, replyResponse } from '#app/utils/http.server.ts'

// The server answers POSTs here before React Router (server/hot-routes.ts); this route serves the rest.
export const action = apiRoute(async ({ request, params }: Route.ActionArgs) =>
	replyResponse(
		await judgmentReply({
			authorization: request.headers.get('Authorization'),
			leaseId: params.leaseId,
			nextParam: new URL(request.url).searchParams.get('next'),
			readBody: () => readJsonBody(request),
		}),
	),
)

export const loader = methodNotAllowed(['POST'])
