import type { Route } from './+types/assignments-next'
import { nextReply } from '#app/modules/assignments/annotator-api.server.ts'
import { apiRoute, methodNotAllowed, replyResponse } from '#app/utils/http.server.ts'

// The server answers POSTs here before React Router (server/hot-routes.ts); this route serves the rest.
export const action = apiRoute(async ({ request, params }: Route.ActionArgs) =>
	replyResponse(await nextReply({ authorization: request.headers.get('Authorization'), slug: params.slug })),
)

export const loader = methodNotAllowed(['POST'])
