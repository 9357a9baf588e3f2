import type PgBoss from 'pg-boss'
import { QUEUE_SCHEMA } from '#app/modules/jobs/queue.server.ts'
import type { Logger } from '#app/utils/logger.server.ts'
import { requeueExport } from './build-export.server.ts'
import { tryLockExport } from './export-lock.server.ts'

/**
 * An export's builder holds a session advisory lock, which Postgres drops the moment that
 * worker's connection dies. An active export job whose lock is free therefore has no live
 * builder: fail it so pg-boss retries it (with backoff) instead of waiting for its expiry.
 * Returns how many exports went back to the queue.
 */
export async function reapAbandonedExports({
	boss,
	connectionString,
	abandonedAfterSeconds,
	log,
}: {
	boss: PgBoss
	connectionString: string
	/** A job fetched this long ago whose export never started counts as abandoned. */
	abandonedAfterSeconds: number
	log: Logger
}) {
	const { rows } = await boss.getDb().executeSql(
		`SELECT j.id::text AS id, e.status::text AS status, (j.started_on < now() - make_interval(secs => $2)) AS stale
		FROM ${QUEUE_SCHEMA}.job j LEFT JOIN exports e ON e.id = j.id
		WHERE j.name = $1 AND j.state = 'active'`,
		['export.build', abandonedAfterSeconds],
	)
	let reaped = 0
	for (const row of rows as { id: string; status: string | null; stale: boolean }[]) {
		if (row.status !== 'running' && !row.stale) continue
		const lock = await tryLockExport({ exportId: row.id, connectionString })
		if (!lock) continue
		try {
			await boss.fail('export.build', row.id, {
				name: 'WorkerLost',
				message: 'The worker building this export stopped without finishing it',
			})
			await requeueExport({
				exportId: row.id,
				error: 'The worker building this export stopped unexpectedly; it will be retried.',
			})
			reaped++
			log.warn('returned an export abandoned by a dead worker to the queue', { exportId: row.id })
		} finally {
			await lock.release()
		}
	}
	return reaped
}
