import type PgBoss from 'pg-boss'
import { QUEUE_SCHEMA } from '#app/modules/jobs/queue.server.ts'
import type { Logger } from '#app/utils/logger.server.ts'
import type { RunLock } from './run-lock.server.ts'

/**
 * A running model run (generation or judge run) whose lock is free has no live worker: fail its
 * job so pg-boss retries it now rather than at its expiry. The retry skips every call already stored.
 */
export async function reapAbandonedRuns({
	boss,
	job,
	runsTable,
	tryLock,
	abandonedAfterSeconds,
	log,
	what,
}: {
	boss: PgBoss
	job: string
	runsTable: 'generation_runs' | 'judge_runs'
	tryLock: (runId: string) => Promise<RunLock | null>
	abandonedAfterSeconds: number
	log: Logger
	what: string
}) {
	const { rows } = await boss.getDb().executeSql(
		`SELECT j.id::text AS id, g.status::text AS status, (j.started_on < now() - make_interval(secs => $2)) AS stale
		FROM ${QUEUE_SCHEMA}.job j LEFT JOIN ${runsTable} g ON g.id = j.id
		WHERE j.name = $1 AND j.state = 'active'`,
		[job, abandonedAfterSeconds],
	)
	let reaped = 0
	for (const row of rows as { id: string; status: string | null; stale: boolean }[]) {
		if (row.status !== 'running' && !row.stale) continue
		const lock = await tryLock(row.id)
		if (!lock) continue
		try {
			await boss.fail(job, row.id, {
				name: 'WorkerLost',
				message: `The worker running this ${what} stopped without finishing it`,
			})
			reaped++
			log.warn(`returned a ${what} abandoned by a dead worker to the queue`, { runId: row.id })
		} finally {
			await lock.release()
		}
	}
	return reaped
}
