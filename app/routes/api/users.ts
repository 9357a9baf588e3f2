import type { Route } from './+types/users'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { UserListQuerySchema } from '#app/modules/users/users.schema.ts'
import { listUsers } from '#app/modules/users/users.server.ts'
import { apiRoute, json } from '#app/utils/http.server.ts'

export const loader = apiRoute(async ({ request }: Route.LoaderArgs) => {
	await requireApiPermission(request, 'manage:users')
	const query = UserListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	const result = await listUsers(query)
	return json({
		users: result.users.map((user) => ({ ...user, disabled: user.disabledAt !== null })),
		total: result.total,
		page: result.page,
		pageSize: result.pageSize,
	})
})
