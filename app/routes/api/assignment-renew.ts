import type { Route } from './+types/assignment-renew'
import { renewReply } from '#app/modules/assignments/annotator-api.server.ts'
import { apiRoute, methodNotAllowed, replyResponse } from '#app/utils/http.server.ts'

// The server answers POSTs here before React Router (server/hot-routes.ts); this route serves the rest.
export const action = apiRoute(async ({ request, params }: Route.ActionArgs) =>
	replyResponse(await renewReply({ authorization: request.headers.get('Authorization'), leaseId: params.leaseId })),
)

export const loader = methodNotAllowed(['POST'])
