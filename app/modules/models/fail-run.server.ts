import { sql } from '#app/utils/db.server.ts'

const TABLES = { judge: 'judge_runs', generation: 'generation_runs' } as const

/**
 * Marks a generation or judge run failed when its job's last attempt has thrown, so that the page,
 * `--wait` and the endpoint's delete guard do not wait on a run that nothing will pick up again.
 * A run already finished or cancelled keeps its state.
 */
export async function failRunAfterLastAttempt({
	kind,
	runId,
	error,
}: {
	kind: keyof typeof TABLES
	runId: string
	error: unknown
}) {
	const message = error instanceof Error ? error.message : String(error)
	await sql({
		text: `UPDATE ${TABLES[kind]} SET status = 'failed', error = $2, finished_at = now()
			WHERE id = $1::uuid AND status IN ('queued', 'running')`,
		values: [runId, `The run stopped after its last retry: ${message}`.slice(0, 2000)],
	})
}
