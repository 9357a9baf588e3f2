import type { Route } from './+types/openapi'
import { openApiDocument } from '#app/modules/api/openapi.ts'
import { json } from '#app/utils/http.server.ts'
import { QUORUM_VERSION } from '#app/utils/version.ts'

// Public on purpose: the contract is not a secret, and clients fetch it before they have a token.
export async function loader({ request }: Route.LoaderArgs) {
	return json(openApiDocument({ serverUrl: new URL(request.url).origin, version: QUORUM_VERSION }))
}
