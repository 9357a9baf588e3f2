import type { Route } from './+types/me'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request }: Route.LoaderArgs) => {
	const user = await requireApiUser(request)
	return json({ id: user.id, email: user.email, displayName: user.displayName, roles: user.roles })
})
