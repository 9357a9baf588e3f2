import type { PairPolicy, TaskType } from '#app/generated/prisma/enums.ts'
import { activePairProbabilities, modelPairs } from '#app/modules/stats/pair-policy.ts'
import { sql } from '#app/utils/db.server.ts'
import type { ModelPairRecord } from './analytics.types.ts'

/**
 * An active comparison project's sampling weights (`arena_pairs.weight`, read by the claim's
 * `quorum_arena_pair`): `activePairProbabilities` over the project's models, from the battles the
 * refresh's leaderboard counted (`pairs`, so the weights follow the same battles as the ratings:
 * no gold, self-identifying ones only when counted; a tie or both-bad is half a win to each side).
 * Every pair of models gets a row, written in one statement. Returns the number of pairs, 0 when
 * the project is not an active comparison project.
 */
export async function refreshArenaWeights({
	projectId,
	project,
	pairs: battles,
}: {
	projectId: string
	project: { taskType: TaskType; pairPolicy: PairPolicy }
	pairs: readonly ModelPairRecord[]
}): Promise<number> {
	if (project.taskType !== 'comparison' || project.pairPolicy !== 'active') return 0
	// Every model of the project, battled or not, so that a pair never met gets its weight too.
	const models = (
		await sql<{ model: string }>({
			text: `SELECT DISTINCT COALESCE(r.model, r.key) AS model FROM responses r JOIN items i ON i.id = r.item_id
				WHERE i.project_id = $1::uuid ORDER BY 1`,
			values: [projectId],
		})
	).map((row) => row.model)
	if (models.length < 2) return 0
	const p = models.length
	const index = new Map(models.map((model, i) => [model, i]))
	const wins = new Float64Array(p * p)
	for (const pair of battles) {
		const a = index.get(pair.modelA)
		const b = index.get(pair.modelB)
		if (a === undefined || b === undefined || a === b) continue
		const half = (pair.ties + pair.bothBad) / 2
		wins[a * p + b] = (wins[a * p + b] as number) + pair.aWins + half
		wins[b * p + a] = (wins[b * p + a] as number) + pair.bWins + half
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
