import { sql } from '#app/utils/db.server.ts'

/** A judge's address: unique per endpoint, on a reserved domain no mail reaches. */
export const judgeEmail = (endpointId: string) => `judge-${endpointId}@judges.quorum.invalid`

/**
 * The AI judge of an endpoint: one user of kind `model`, created on first use, named after the
 * endpoint. It has no password and no roles, and every way in refuses model users (ADR 0021).
 */
export async function ensureJudgeUser({ endpointId, name }: { endpointId: string; name: string }) {
	const [row] = await sql<{ id: string }>({
		text: `INSERT INTO users (email, display_name, password_hash, roles, kind, judge_endpoint_id)
			VALUES ($1, $2, NULL, '{}', 'model', $3::uuid)
			ON CONFLICT (judge_endpoint_id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = now()
			RETURNING id::text`,
		values: [judgeEmail(endpointId), name, endpointId],
	})
	return { id: row!.id, displayName: name }
}
