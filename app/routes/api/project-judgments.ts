import { z } from 'zod'
import type { Route } from './+types/project-judgments'
import { listProjectJudgments } from '#app/modules/assignments/history.server.ts'
import { requireApiPermission } from '#app/modules/auth/require.server.ts'
import { apiRoute, json } from '#app/utils/http.server.ts'

const QuerySchema = z.object({
	cursor: z.string().optional(),
	limit: z.coerce.number().int().min(1).max(1000).default(100),
	annotators: z.enum(['human', 'ai', 'all']).default('human'),
})

export const loader = apiRoute(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireApiPermission(request, 'read:judgments')
	const query = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	return json(
		await listProjectJudgments({
			slug: params.slug,
			user,
			cursor: query.cursor,
			limit: query.limit,
			annotators: query.annotators,
		}),
	)
})
