import type { JudgeRouting } from './judging.schema.ts'

/**
 * Hybrid routing's targets (ADR 0021), as one statement over a project's regular items, or one of
 * them. An item the routing judge judged consistently and confidently needs `overlapWhenJudgeSure`
 * human judgments; every other item, and every item when routing is off, needs the full overlap
 * (target NULL). A sure verdict never takes back a slot someone holds: the target covers the
 * judgments stored and the leases still open, up to the overlap. The judge's verdicts are read from its stored
 * judgments, so the same statement serves a new verdict and a settings change.
 */
export function routeItemsQuery({
	projectId,
	itemId,
	overlap,
	routing,
}: {
	projectId: string
	itemId?: string
	overlap: number
	routing: JudgeRouting | null
}) {
	return {
		text: `WITH next AS (
				SELECT i.id, CASE WHEN sure.id IS NULL THEN NULL ELSE LEAST($6::int, GREATEST($4::int, i.judgment_count + (
					SELECT count(*)::int FROM leases busy WHERE busy.item_id = i.id AND busy.state = 'active' AND busy.expires_at > now()
				))) END AS target
				FROM items i
				LEFT JOIN LATERAL (
					SELECT j.id FROM judgments j JOIN users u ON u.id = j.user_id
					WHERE j.item_id = i.id AND j.source = 'model' AND u.judge_endpoint_id = $3::uuid
						AND NOT j.position_inconsistent AND (j.judge_confidence IS NULL OR j.judge_confidence >= $5::float8)
					LIMIT 1
				) sure ON true
				WHERE i.project_id = $1::uuid AND NOT i.is_gold AND ($2::uuid IS NULL OR i.id = $2::uuid)
			)
			UPDATE items SET target_count = next.target,
				is_open = NOT awaiting_responses AND generation_issue IS NULL AND judgment_count < COALESCE(next.target, $6::int),
				completed_at = CASE WHEN judgment_count < COALESCE(next.target, $6::int) THEN NULL ELSE COALESCE(completed_at, now()) END,
				updated_at = now()
			FROM next WHERE items.id = next.id AND (items.target_count IS DISTINCT FROM next.target
				OR items.is_open IS DISTINCT FROM (NOT awaiting_responses AND generation_issue IS NULL AND judgment_count < COALESCE(next.target, $6::int)))`,
		values: [
			projectId,
			itemId ?? null,
			routing?.endpointId ?? null,
			routing?.overlapWhenJudgeSure ?? null,
			routing?.confidence ?? null,
			overlap,
		],
	}
}

/**
 * Before routing a whole project: locks the open items a sure verdict could lower, in a statement
 * of their own, so that the routing statement after it (a new snapshot) counts every lease a claim
 * committed meanwhile. Claims pass over locked items for that moment; raising a target needs no lock.
 */
export function lockRoutedItemsQuery({ projectId, routing }: { projectId: string; routing: JudgeRouting }) {
	return {
		text: `SELECT i.id FROM items i
			WHERE i.project_id = $1::uuid AND NOT i.is_gold AND i.is_open AND EXISTS (
				SELECT 1 FROM judgments j JOIN users u ON u.id = j.user_id
				WHERE j.item_id = i.id AND j.source = 'model' AND u.judge_endpoint_id = $2::uuid
			)
			ORDER BY i.id FOR UPDATE OF i`,
		values: [projectId, routing.endpointId],
	}
}
