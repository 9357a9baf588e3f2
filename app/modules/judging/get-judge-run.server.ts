import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma, sql } from '#app/utils/db.server.ts'
import { assertUuid, notFound } from '#app/utils/errors.ts'
import { judgeRunInclude, serializeJudgeRun, type JudgeRunCounts, type JudgeRunError } from './serialize-judge-run.ts'

/**
 * Counts come from the calls and judgments themselves, so workers never contend on one counter row.
 * The judge's judgments are found through its user (the (user_id, idempotency_key) index), not by
 * scanning every judgment of the database for the run.
 */
export async function judgeRunCounts({ runId }: { runId: string }): Promise<JudgeRunCounts> {
	const [row] = await sql<{
		tasks: number
		done: number
		failed: number
		items: number
		judged: number
		inconsistent: number
	}>({
		name: 'quorum_judge_run_counts',
		text: `SELECT count(c.id)::int AS tasks,
				count(*) FILTER (WHERE c.state = 'done')::int AS done,
				count(*) FILTER (WHERE c.state = 'failed')::int AS failed,
				count(DISTINCT c.item_id)::int AS items,
				(SELECT count(*) FROM judgments j WHERE j.user_id = r.judge_user_id AND j.judge_run_id = $1::uuid)::int AS judged,
				(SELECT count(*) FROM judgments j WHERE j.user_id = r.judge_user_id AND j.judge_run_id = $1::uuid AND j.position_inconsistent)::int AS inconsistent
			FROM judge_runs r LEFT JOIN judge_calls c ON c.run_id = r.id WHERE r.id = $1::uuid
			GROUP BY r.judge_user_id`,
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
		itemsJudged: row?.judged ?? 0,
		itemsInconsistent: row?.inconsistent ?? 0,
	}
}

export async function judgeRunErrors({
	runId,
	limit = 100,
}: {
	runId: string
	limit?: number
}): Promise<JudgeRunError[]> {
	const rows = await sql<{ item_id: string; external_id: string; order: number; error: string }>({
		name: 'quorum_judge_run_errors',
		text: `SELECT c.item_id::text, i.external_id, c."order", c.error
			FROM judge_calls c JOIN items i ON i.id = c.item_id
			WHERE c.run_id = $1::uuid AND c.state = 'failed' ORDER BY i.seq, c."order" LIMIT $2`,
		values: [runId, limit],
	})
	return rows.map((row) => ({ itemId: row.item_id, externalId: row.external_id, order: row.order, message: row.error }))
}

export async function loadJudgeRunForUser({ id, user }: { id: string; user: SessionUser }) {
	assertPermission(user, 'run:models')
	assertUuid(id, 'judge run')
	const run = await prisma.judgeRun.findUnique({ where: { id }, include: judgeRunInclude })
	if (!run) throw notFound('No such judge run')
	await getProjectForUser({ slug: run.project.slug, user, access: 'read' })
	return run
}

export async function getJudgeRun({ id, user }: { id: string; user: SessionUser }) {
	const run = await loadJudgeRunForUser({ id, user })
	const [counts, errors] = await Promise.all([judgeRunCounts({ runId: id }), judgeRunErrors({ runId: id })])
	return serializeJudgeRun({ run, counts, errors })
}

export async function listJudgeRuns({ slug, user, limit = 20 }: { slug: string; user: SessionUser; limit?: number }) {
	assertPermission(user, 'run:models')
	const project = await getProjectForUser({ slug, user, access: 'read' })
	const runs = await prisma.judgeRun.findMany({
		where: { projectId: project.id },
		include: judgeRunInclude,
		orderBy: { createdAt: 'desc' },
		take: limit,
	})
	return Promise.all(
		runs.map(async (run) =>
			serializeJudgeRun({
				run,
				counts: await judgeRunCounts({ runId: run.id }),
				errors: await judgeRunErrors({ runId: run.id, limit: 20 }),
			}),
		),
	)
}
