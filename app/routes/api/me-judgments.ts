import { z } from 'zod'
import type { Route } from './+types/me-judgments'
import { listMyJudgments } from '#app/modules/assignments/history.server.ts'
import { requireApiUser } from '#app/modules/auth/require.server.ts'
import { apiRoute, json } from '#app/utils/http.server.ts'

const QuerySchema = z.object({
	project: z.string().optional(),
	cursor: z.string().optional(),
	limit: z.coerce.number().int().min(1).max(500).default(50),
})

export const loader = apiRoute(async ({ request }: Route.LoaderArgs) => {
	const user = await requireApiUser(request)
	const query = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	return json(await listMyJudgments({ user, projectSlug: query.project, cursor: query.cursor, limit: query.limit }))
})
