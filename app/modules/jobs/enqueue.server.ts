import type PgBoss from 'pg-boss'
import { logger } from '#app/utils/logger.server.ts'
import { createBoss, ensureQueues } from './queue.server.ts'
import { jobs, type JobId, type JobPayload } from './registry.ts'

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
export async function enqueue<Id extends JobId>({
	job,
	payload,
	id,
}: {
	job: Id
	payload: JobPayload<Id>
	id?: string
}) {
	const data = jobs[job].payload.parse(payload) as object
	const boss = await queueClient()
	return boss.send(job, data, id ? { id } : {})
}

export async function stopQueueClient() {
	const pending = globalForQueue.__quorumQueue
	globalForQueue.__quorumQueue = undefined
	if (pending) await (await pending).stop({ graceful: false, wait: true })
}

/**
 * Enqueues the job of a row its request has just committed. When the queue refuses, the row is
 * marked failed with `message` (so it does not wait as queued forever) and the error is rethrown.
 */
export async function enqueueOrMarkFailed<Id extends JobId>({
	job,
	payload,
	id,
	message,
	markFailed,
}: {
	job: Id
	payload: JobPayload<Id>
	id: string
	message: string
	markFailed: (message: string) => Promise<unknown>
}) {
	try {
		await enqueue({ job, payload, id })
	} catch (error) {
		logger.error('could not queue a job', { job, id, error: error instanceof Error ? error.message : String(error) })
		await markFailed(message)
		throw error
	}
}
