import PgBoss from 'pg-boss'
import { isDatabaseUnavailable } from '#app/utils/errors.ts'
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
	// pg-boss forwards its pool's errors here too, so a lost idle connection is logged, not thrown.
	boss.on('error', (error) => {
		const message = error instanceof Error ? error.message : String(error)
		if (isDatabaseUnavailable(error)) logger.warn('job queue: database unavailable', { error: message })
		else logger.error('job queue error', { error: message })
	})
	return boss
}

/** Creates every queue of the registry and keeps its retry and expiry options in step with the code. */
export async function ensureQueues(boss: PgBoss) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await createQueues(boss)
		} catch (error) {
			// Processes starting together on a new database can deadlock in pg-boss's create_queue;
			// Postgres aborts one of them, which then finds the queues made and only updates them.
			if ((error as { code?: unknown }).code !== '40P01' || attempt >= 5) throw error
			logger.warn('creating the job queues deadlocked with another process; trying again', { attempt })
		}
	}
}

async function createQueues(boss: PgBoss) {
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
