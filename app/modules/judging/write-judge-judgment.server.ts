import { pgTransaction } from '#app/utils/db.server.ts'
import { combineVerdicts, type CombinedVerdict } from './combine-verdicts.ts'
import { judgingSettings } from './judging.schema.ts'
import { routeItemsQuery } from './route-items.ts'
import type { Verdict } from './verdict.ts'

export const judgeIdempotencyKey = ({ runId, itemId }: { runId: string; itemId: string }) => `judge:${runId}:${itemId}`

export type WriteJudgeJudgmentResult =
	| { outcome: 'stored' | 'revised'; judgmentId: string; combined: CombinedVerdict }
	| { outcome: 'replay' | 'incomplete' }

/**
 * Once both orders of an item are judged: the judge's judgment (a new revision when this judge
 * judged the item before), and hybrid routing's target for the item, all under the item's row
 * lock in one transaction. It never counts towards `judgment_count`. A second call for the same
 * run and item finds its idempotency key and writes nothing.
 */
export async function writeJudgeJudgment({
	runId,
	itemId,
}: {
	runId: string
	itemId: string
}): Promise<WriteJudgeJudgmentResult> {
	return pgTransaction(async (tx) => {
		const { rows: calls } = await tx.query<{
			order: number
			display_order: string[]
			state: string
			verdict: Verdict | null
		}>({
			text: `SELECT "order", display_order, state::text, verdict FROM judge_calls WHERE run_id = $1::uuid AND item_id = $2::uuid ORDER BY "order"`,
			values: [runId, itemId],
		})
		const first = calls.find((call) => call.order === 0)
		const second = calls.find((call) => call.order === 1)
		if (first?.state !== 'done' || second?.state !== 'done' || !first.verdict || !second.verdict)
			return { outcome: 'incomplete' }

		// The project before the item, as a settings change takes them: a change in flight is waited
		// for, so the settings read next are the ones this item's routing must follow.
		await tx.query({
			text: `SELECT 1 FROM projects WHERE id = (SELECT project_id FROM items WHERE id = $1::uuid) FOR SHARE`,
			values: [itemId],
		})
		const { rows: items } = await tx.query<{
			project_id: string
			is_gold: boolean
			judgment_count: number
			overlap: number
			overlap_mode: string
			judging: unknown
			judge_user_id: string
			endpoint_id: string | null
			guideline_version: number
		}>({
			text: `SELECT i.project_id::text, i.is_gold, i.judgment_count, p.overlap, p.overlap_mode::text, p.judging,
					r.judge_user_id::text, r.endpoint_id::text,
					COALESCE((SELECT max(g.version) FROM guideline_versions g WHERE g.project_id = p.id), 0)::int AS guideline_version
				FROM items i JOIN projects p ON p.id = i.project_id JOIN judge_runs r ON r.id = $2::uuid
				WHERE i.id = $1::uuid
				FOR UPDATE OF i`,
			values: [itemId, runId],
		})
		const item = items[0]
		if (!item) return { outcome: 'incomplete' }
		const key = judgeIdempotencyKey({ runId, itemId })
		const { rows: existing } = await tx.query<{ id: string; revision: number; idempotency_key: string }>({
			text: `SELECT id::text, revision, idempotency_key FROM judgments WHERE item_id = $1::uuid AND user_id = $2::uuid FOR UPDATE`,
			values: [itemId, item.judge_user_id],
		})
		const previous = existing[0]
		if (previous?.idempotency_key === key) return { outcome: 'replay' }

		const combined = combineVerdicts({ keys: first.display_order, first: first.verdict, second: second.verdict })
		const values = [
			JSON.stringify(combined.ranking),
			combined.strength,
			combined.rationale,
			item.guideline_version,
			key,
			combined.positionInconsistent,
			combined.confidence,
			runId,
			first.display_order,
			item.is_gold,
		]
		let judgmentId: string
		let revision: number
		if (previous) {
			revision = previous.revision + 1
			await tx.query({
				text: `UPDATE judgments SET ranking = $1::jsonb, strength = $2, rationale = $3, guideline_version = $4, idempotency_key = $5,
						position_inconsistent = $6, judge_confidence = $7, judge_run_id = $8::uuid, display_order = $9::text[], is_gold = $10,
						both_bad = false, criteria = NULL, flags = NULL, active_ms = NULL, revision = $11, updated_at = now()
					WHERE id = $12::uuid`,
				values: [...values, revision, previous.id],
			})
			judgmentId = previous.id
		} else {
			revision = 1
			const { rows } = await tx.query<{ id: string }>({
				text: `INSERT INTO judgments (project_id, item_id, user_id, lease_id, idempotency_key, display_order, ranking, strength,
						rationale, guideline_version, is_gold, revision, source, position_inconsistent, judge_confidence, judge_run_id)
					VALUES ($11::uuid, $12::uuid, $13::uuid, NULL, $5, $9::text[], $1::jsonb, $2, $3, $4, $10, 1, 'model', $6, $7, $8::uuid)
					RETURNING id::text`,
				values: [...values, item.project_id, itemId, item.judge_user_id],
			})
			judgmentId = rows[0]!.id
		}
		await tx.query({
			text: `INSERT INTO judgment_revisions (judgment_id, revision, user_id, ranking, both_bad, strength, rationale, guideline_version, idempotency_key)
				VALUES ($1::uuid, $2, $3::uuid, $4::jsonb, false, $5, $6, $7, $8)`,
			values: [
				judgmentId,
				revision,
				item.judge_user_id,
				JSON.stringify(combined.ranking),
				combined.strength,
				combined.rationale,
				item.guideline_version,
				key,
			],
		})
		const routing = judgingSettings(item.judging).routing
		// Hybrid routing: only the routing judge's verdicts move a fixed-overlap item's target.
		if (routing && routing.endpointId === item.endpoint_id && item.overlap_mode === 'fixed' && !item.is_gold)
			await tx.query(routeItemsQuery({ projectId: item.project_id, itemId, overlap: item.overlap, routing }))
		return { outcome: previous ? 'revised' : 'stored', judgmentId, combined }
	})
}
