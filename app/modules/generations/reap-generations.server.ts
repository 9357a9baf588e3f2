import type PgBoss from 'pg-boss'
import { QUEUE_SCHEMA } from '#app/modules/jobs/queue.server.ts'
import type { Logger } from '#app/utils/logger.server.ts'
import { tryLockGeneration } from './generation-lock.server.ts'

/**
 * A running generation whose lock is free has no live worker: fail its job so pg-boss retries it
 * now rather than at its expiry. The retry skips every sample already stored.
 */
export async function reapAbandonedGenerations({
	boss,
	connectionString,
	abandonedAfterSeconds,
	log,
}: {
	boss: PgBoss
	connectionString: string
	abandonedAfterSeconds: number
	log: Logger
}) {
	const { rows } = await boss.getDb().executeSql(
		`SELECT j.id::text AS id, g.status::text AS status, (j.started_on < now() - make_interval(secs => $2)) AS stale
		FROM ${QUEUE_SCHEMA}.job j LEFT JOIN generation_runs g ON g.id = j.id
		WHERE j.name = $1 AND j.state = 'active'`,
		['generate.responses', abandonedAfterSeconds],
	)
	let reaped = 0
	for (const row of rows as { id: string; status: string | null; stale: boolean }[]) {
		if (row.status !== 'running' && !row.stale) continue
		const lock = await tryLockGeneration({ runId: row.id, connectionString })
		if (!lock) continue
		try {
			await boss.fail('generate.responses', row.id, {
				name: 'WorkerLost',
				message: 'The worker running this generation stopped without finishing it',
			})
			reaped++
			log.warn('returned a generation abandoned by a dead worker to the queue', { runId: row.id })
		} finally {
			await lock.release()
		}
	}
	return reaped
}
