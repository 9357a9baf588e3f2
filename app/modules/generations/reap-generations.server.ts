import type PgBoss from 'pg-boss'
import { reapAbandonedRuns } from '#app/modules/models/reap-runs.server.ts'
import type { Logger } from '#app/utils/logger.server.ts'
import { tryLockGeneration } from './generation-lock.server.ts'

/** Returns generations abandoned by a dead worker to the queue (see reapAbandonedRuns). */
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
	return reapAbandonedRuns({
		boss,
		job: 'generate.responses',
		runsTable: 'generation_runs',
		tryLock: (runId) => tryLockGeneration({ runId, connectionString }),
		abandonedAfterSeconds,
		log,
		what: 'generation',
	})
}
