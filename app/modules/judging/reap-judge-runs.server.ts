import type PgBoss from 'pg-boss'
import { reapAbandonedRuns } from '#app/modules/models/reap-runs.server.ts'
import type { Logger } from '#app/utils/logger.server.ts'
import { tryLockJudgeRun } from './run-judge.server.ts'

/** Returns judge runs abandoned by a dead worker to the queue (see reapAbandonedRuns). */
export async function reapAbandonedJudgeRuns({
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
		job: 'judge.run',
		runsTable: 'judge_runs',
		tryLock: (runId) => tryLockJudgeRun({ runId, connectionString }),
		abandonedAfterSeconds,
		log,
		what: 'judge run',
	})
}
