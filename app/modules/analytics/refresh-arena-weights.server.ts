import type { PairPolicy, TaskType } from '#app/generated/prisma/enums.ts'
import { arenaSettings } from '#app/modules/projects/arena-settings.ts'
import { activePairProbabilities, modelPairs } from '#app/modules/stats/pair-policy.ts'
import { sql } from '#app/utils/db.server.ts'

type BattleRow = { model_a: string; model_b: string; a_wins: number; battles: number }

/**
 * An active comparison project's sampling weights (`arena_pairs.weight`, read by the claim's
 * `quorum_arena_pair`): `activePairProbabilities` over the project's models, from its human battles
 * (a tie or both-bad counts half a win to each side; battles with a self-identifying response only
 * when the project counts them). Every pair of models gets a row, written in one statement.
 * Returns the number of pairs, 0 when the project is not an active comparison project.
 */
export async function refreshArenaWeights({
	projectId,
	project,
}: {
	projectId: string
	project: { taskType: TaskType; pairPolicy: PairPolicy; arena: unknown }
}): Promise<number> {
	if (project.taskType !== 'comparison' || project.pairPolicy !== 'active') return 0
	const models = (
		await sql<{ model: string }>({
			text: `SELECT DISTINCT COALESCE(r.model, r.key) AS model FROM responses r JOIN items i ON i.id = r.item_id
				WHERE i.project_id = $1::uuid ORDER BY 1`,
			values: [projectId],
		})
	).map((row) => row.model)
	if (models.length < 2) return 0
	const battles = await sql<BattleRow>({
		text: `SELECT COALESCE(ra.model, ra.key) AS model_a, COALESCE(rb.model, rb.key) AS model_b,
				sum(CASE WHEN jsonb_array_length(j.ranking) = 1 THEN 0.5 WHEN j.ranking->0->>0 = j.display_order[1] THEN 1 ELSE 0 END)::float8 AS a_wins,
				count(*)::int AS battles
			FROM judgments j
			JOIN responses ra ON ra.item_id = j.item_id AND ra.key = j.display_order[1]
			JOIN responses rb ON rb.item_id = j.item_id AND rb.key = j.display_order[2]
			WHERE j.project_id = $1::uuid AND j.source = 'human' AND NOT j.is_gold AND cardinality(j.display_order) = 2
				AND ($2::boolean OR NOT (ra.self_identifies OR rb.self_identifies))
			GROUP BY 1, 2`,
		values: [projectId, arenaSettings(project.arena).includeSelfIdentified],
	})
	const p = models.length
	const index = new Map(models.map((model, i) => [model, i]))
	const wins = new Float64Array(p * p)
	for (const row of battles) {
		const a = index.get(row.model_a)
		const b = index.get(row.model_b)
		if (a === undefined || b === undefined || a === b) continue
		wins[a * p + b] = (wins[a * p + b] as number) + row.a_wins
		wins[b * p + a] = (wins[b * p + a] as number) + row.battles - row.a_wins
	}
	const probabilities = activePairProbabilities({ wins, models: p })
	const pairs = modelPairs(p)
	// LEAST/GREATEST in SQL, so that model_a < model_b by the database's collation, as the claim compares them.
	await sql({
		text: `INSERT INTO arena_pairs (project_id, model_a, model_b, battles, weight)
			SELECT $1::uuid, LEAST(t.a, t.b), GREATEST(t.a, t.b), 0, t.weight
			FROM unnest($2::text[], $3::text[], $4::float8[]) AS t(a, b, weight)
			ON CONFLICT (project_id, model_a, model_b) DO UPDATE SET weight = EXCLUDED.weight`,
		values: [projectId, pairs.map(([i]) => models[i]!), pairs.map(([, j]) => models[j]!), Array.from(probabilities)],
	})
	return pairs.length
}
