import type { Route } from './+types/assignment-skip'
import { skipReply } from '#app/modules/assignments/annotator-api.server.ts'
import { apiRoute, readJsonBody, methodNotAllowed, replyResponse } from '#app/utils/http.server.ts'

// The server answers POSTs here before React Router (server/hot-routes.ts); this route serves the rest.
export const action = apiRoute(async ({ request, params }: Route.ActionArgs) =>
	replyResponse(
		await skipReply({
			authorization: request.headers.get('Authorization'),
			leaseId: params.leaseId,
			readBody: () => (request.headers.get('Content-Length') === '0' ? Promise.resolve({}) : readJsonBody(request)),
		}),
	),
)

export const loader = methodNotAllowed(['POST'])
