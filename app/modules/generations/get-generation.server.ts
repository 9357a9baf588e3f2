import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma, sql } from '#app/utils/db.server.ts'
import { assertUuid, notFound } from '#app/utils/errors.ts'
import {
	generationInclude,
	serializeGeneration,
	type GenerationCounts,
	type GenerationError,
} from './serialize-generation.ts'

/** Task counts are read from the tasks themselves, so workers never contend on one counter row. */
export async function generationCounts({ runId }: { runId: string }): Promise<GenerationCounts> {
	const [row] = await sql<{
		tasks: number
		done: number
		failed: number
		items: number
		opened: number
		marked: number
	}>({
		name: 'quorum_generation_counts',
		text: `SELECT count(*)::int AS tasks,
				count(*) FILTER (WHERE t.state = 'done')::int AS done,
				count(*) FILTER (WHERE t.state = 'failed')::int AS failed,
				count(DISTINCT t.item_id)::int AS items,
				(SELECT count(*) FROM items i WHERE i.id IN (SELECT item_id FROM generation_tasks WHERE run_id = $1::uuid) AND NOT i.awaiting_responses)::int AS opened,
				(SELECT count(*) FROM items i WHERE i.id IN (SELECT item_id FROM generation_tasks WHERE run_id = $1::uuid) AND i.generation_issue IS NOT NULL)::int AS marked
			FROM generation_tasks t WHERE t.run_id = $1::uuid`,
		values: [runId],
	})
	const tasks = row?.tasks ?? 0
	const done = row?.done ?? 0
	const failed = row?.failed ?? 0
	return {
		items: row?.items ?? 0,
		tasks,
		done,
		failed,
		pending: tasks - done - failed,
		itemsOpened: row?.opened ?? 0,
		itemsMarked: row?.marked ?? 0,
	}
}

export async function generationErrors({
	runId,
	limit = 100,
}: {
	runId: string
	limit?: number
}): Promise<GenerationError[]> {
	const rows = await sql<{
		item_id: string
		external_id: string
		endpoint: string
		sample_index: number
		error: string
	}>({
		name: 'quorum_generation_errors',
		text: `SELECT t.item_id::text, i.external_id, e.name AS endpoint, t.sample_index, t.error
			FROM generation_tasks t JOIN items i ON i.id = t.item_id JOIN model_endpoints e ON e.id = t.endpoint_id
			WHERE t.run_id = $1::uuid AND t.state = 'failed' ORDER BY i.seq, e.name, t.sample_index LIMIT $2`,
		values: [runId, limit],
	})
	return rows.map((row) => ({
		itemId: row.item_id,
		externalId: row.external_id,
		endpoint: row.endpoint,
		sample: row.sample_index,
		message: row.error,
	}))
}

export async function loadGenerationForUser({ id, user }: { id: string; user: SessionUser }) {
	assertPermission(user, 'run:models')
	assertUuid(id, 'generation')
	const run = await prisma.generationRun.findUnique({ where: { id }, include: generationInclude })
	if (!run) throw notFound('No such generation')
	await getProjectForUser({ slug: run.project.slug, user, access: 'read' })
	return run
}

export async function getGeneration({ id, user }: { id: string; user: SessionUser }) {
	const run = await loadGenerationForUser({ id, user })
	const [counts, errors] = await Promise.all([generationCounts({ runId: id }), generationErrors({ runId: id })])
	return serializeGeneration({ run, counts, errors })
}

export async function listGenerations({ slug, user, limit = 20 }: { slug: string; user: SessionUser; limit?: number }) {
	assertPermission(user, 'run:models')
	const project = await getProjectForUser({ slug, user, access: 'read' })
	const runs = await prisma.generationRun.findMany({
		where: { projectId: project.id },
		include: generationInclude,
		orderBy: { createdAt: 'desc' },
		take: limit,
	})
	return Promise.all(
		runs.map(async (run) =>
			serializeGeneration({
				run,
				counts: await generationCounts({ runId: run.id }),
				errors: await generationErrors({ runId: run.id, limit: 20 }),
			}),
		),
	)
}
