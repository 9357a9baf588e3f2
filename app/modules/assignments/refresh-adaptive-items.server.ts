import { prisma } from '#app/utils/db.server.ts'
import { logPrior, shrunkLogConfusion } from './adaptive-overlap.ts'

export type ReliabilityEstimates = {
	classes: number
	prior: number[]
	annotators: { userId: string; judgments: number; confusion: number[] }[]
}

/**
 * Stores a pairwise project's Dawid–Skene estimates where the submit function reads them (each
 * annotator's shrunk log confusion matrix and the log class prior), then, in an adaptive project,
 * recomputes every item's log posterior with them in one statement. A closed item with fewer than
 * the maximum judgments whose confidence fell under the target reopens for one more judgment, and
 * each reopening is audited (`item.reopened`, old and new confidence). An item that took a
 * judgment while this ran keeps its own posterior (the count check under its lock), and is
 * recomputed by the next refresh. Run by the analytics refresh (ADR 0020).
 */
export async function refreshAdaptiveItems({
	projectId,
	estimates,
	now = new Date(),
}: {
	projectId: string
	estimates: ReliabilityEstimates
	now?: Date
}) {
	const { classes } = estimates
	const rows = estimates.annotators.map(({ userId, judgments, confusion }) => ({
		userId,
		judgments,
		logConf: shrunkLogConfusion({ confusion, judgments, classes }),
	}))
	const prior = logPrior(estimates.prior)
	return prisma.$transaction(async (tx) => {
		const [project] = await tx.$queryRaw<
			{ overlap: number; overlap_mode: string; overlap_max: number | null; overlap_confidence: number | null }[]
		>`
			UPDATE projects SET ds_log_prior = ${prior}::float8[] WHERE id = ${projectId}::uuid
			RETURNING overlap, overlap_mode::text, overlap_max, overlap_confidence`
		if (rows.length > 0) {
			await tx.$executeRaw`
				INSERT INTO annotator_reliability (project_id, user_id, log_conf, judgments, updated_at)
				SELECT ${projectId}::uuid, r."userId"::uuid, ARRAY(SELECT jsonb_array_elements_text(r."logConf")::float8), r.judgments, ${now}
				FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r("userId" text, judgments int, "logConf" jsonb)
				ON CONFLICT (project_id, user_id) DO UPDATE SET log_conf = excluded.log_conf, judgments = excluded.judgments, updated_at = excluded.updated_at`
		}
		if (!project || project.overlap_mode !== 'adaptive' || classes !== 4) return { reopened: [] as string[] }
		const min = project.overlap
		const max = project.overlap_max ?? min
		const target = project.overlap_confidence ?? 1
		const reopened = await tx.$queryRaw<{ item_id: string }[]>`
			WITH labels AS (
				SELECT j.item_id, j.user_id, quorum_pairwise_label(j.ranking, j.both_bad, r.keys[1], r.keys[2]) AS label
				FROM judgments j
				JOIN items i ON i.id = j.item_id
				CROSS JOIN LATERAL (SELECT array_agg(x.key ORDER BY x.position) AS keys FROM responses x WHERE x.item_id = i.id) r
				-- People's judgments only: judgment_count, which n must match, is the human overlap (ADR 0021).
				WHERE i.project_id = ${projectId}::uuid AND NOT i.is_gold AND j.source = 'human'
			), scores AS (
				SELECT l.item_id, k, sum((coalesce(a.log_conf, quorum_default_log_conf(4)))[k * 4 + l.label + 1]) AS s, count(*) AS n
				FROM labels l
				CROSS JOIN generate_series(0, 3) k
				LEFT JOIN annotator_reliability a ON a.project_id = ${projectId}::uuid AND a.user_id = l.user_id
				GROUP BY l.item_id, k
			), posts AS (
				SELECT item_id, array_agg((${prior}::float8[])[k + 1] + s ORDER BY k) AS post, max(n)::int AS n FROM scores GROUP BY item_id
			), next AS (
				SELECT i.id, posts.post, posts.n, quorum_confidence(i.ds_log_post) AS old_confidence, quorum_confidence(posts.post) AS new_confidence,
					NOT i.is_open AND i.judgment_count >= ${min} AND i.judgment_count < ${max} AND quorum_confidence(posts.post) < ${target} AS reopen
				FROM items i JOIN posts ON posts.item_id = i.id
				WHERE i.judgment_count = posts.n
			), updated AS (
				UPDATE items SET ds_log_post = next.post,
					is_open = items.is_open OR next.reopen,
					target_count = CASE WHEN next.reopen THEN items.judgment_count + 1 ELSE items.target_count END,
					completed_at = CASE WHEN next.reopen THEN NULL ELSE items.completed_at END
				FROM next
				WHERE items.id = next.id AND items.judgment_count = next.n
				RETURNING items.id, next.reopen, next.old_confidence, next.new_confidence, items.judgment_count
			)
			INSERT INTO audit_events (action, target_type, target_id, project_id, data, created_at)
			SELECT 'item.reopened', 'item', updated.id::text, ${projectId}::uuid,
				jsonb_build_object('oldConfidence', updated.old_confidence, 'newConfidence', updated.new_confidence,
					'judgments', updated.judgment_count, 'target', updated.judgment_count + 1, 'reason', 'reliabilities re-estimated'),
				${now}
			FROM updated WHERE updated.reopen
			RETURNING target_id AS item_id`
		return { reopened: reopened.map((row) => row.item_id) }
	})
}
