import PgBoss from 'pg-boss'
import { isDatabaseUnavailable } from '#app/utils/errors.ts'
import { logger } from '#app/utils/logger.server.ts'
import { jobIds, jobs, type JobId, type JobPayload } from './jobs/index.ts'

/** pg-boss keeps its tables in their own schema, away from the Prisma-managed ones. */
export const QUEUE_SCHEMA = 'pgboss'

export type Boss = PgBoss

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

const globalForQueue = globalThis as unknown as { __quorumQueue?: Promise<PgBoss> }

/** The app's sending side, started on first use (installing the queue schema when needed). */
function queueClient() {
	globalForQueue.__quorumQueue ??= (async () => {
		const connectionString = process.env.DATABASE_URL
		if (!connectionString) throw new Error('DATABASE_URL is not set: the database was not started before use')
		const boss = createBoss({ connectionString, role: 'client' })
		await boss.start()
		await ensureQueues(boss)
		return boss
	})().catch((error: unknown) => {
		globalForQueue.__quorumQueue = undefined
		throw error
	})
	return globalForQueue.__quorumQueue
}

/**
 * Validates the payload and enqueues the job. `id` makes the send idempotent: a second send with
 * the same id is ignored.
 */
export async function enqueue<Id extends JobId>({ job, payload, id }: { job: Id; payload: JobPayload<Id>; id?: string }) {
	const data = jobs[job].payload.parse(payload) as object
	const boss = await queueClient()
	return boss.send(job, data, id ? { id } : {})
}

export async function stopQueueClient() {
	const pending = globalForQueue.__quorumQueue
	globalForQueue.__quorumQueue = undefined
	if (pending) await (await pending).stop({ graceful: false, wait: true })
}
