import PgBoss from 'pg-boss'
import { logger } from '#app/utils/logger.server.ts'
import { jobIds, jobs } from './registry.ts'

/** pg-boss keeps its tables in their own schema, away from the Prisma-managed ones. */
export const QUEUE_SCHEMA = 'pgboss'

/**
 * A pg-boss instance. The worker supervises (maintenance, expiry) and runs the cron schedules;
 * app processes only send jobs, with a small pool of their own.
 */
export function createBoss({ connectionString, role }: { connectionString: string; role: 'worker' | 'client' }) {
	const boss = new PgBoss({
		connectionString,
		schema: QUEUE_SCHEMA,
		application_name: `quorum-${role}`,
		max: role === 'worker' ? 4 : 2,
		supervise: role === 'worker',
		schedule: role === 'worker',
		migrate: true,
	})
	boss.on('error', (error) => logger.error('job queue error', { error: error instanceof Error ? error.message : String(error) }))
	return boss
}

/** Creates every queue of the registry and keeps its retry and expiry options in step with the code. */
export async function ensureQueues(boss: PgBoss) {
	for (const id of jobIds) {
		const { queue } = jobs[id]
		const options: PgBoss.Queue = {
			name: id,
			retryLimit: queue.retryLimit,
			retryDelay: queue.retryDelaySeconds,
			retryBackoff: queue.retryBackoff,
			expireInSeconds: queue.expireInSeconds,
		}
		await boss.createQueue(id, options)
		await boss.updateQueue(id, options)
	}
}
