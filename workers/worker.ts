import type PgBoss from 'pg-boss'
import { reapAbandonedExports } from '#app/modules/exports/reap-exports.server.ts'
import { reapAbandonedGenerations } from '#app/modules/generations/reap-generations.server.ts'
import { reapAbandonedJudgeRuns } from '#app/modules/judging/reap-judge-runs.server.ts'
import { createBoss, ensureQueues } from '#app/modules/jobs/queue.server.ts'
import { jobIds, jobs, type JobDefinition, type JobHandler, type JobId } from '#app/modules/jobs/registry.ts'
import { isDatabaseUnavailable } from '#app/utils/errors.ts'
import { createLogger, type Logger } from '#app/utils/logger.server.ts'

export type WorkerOptions = {
	connectionString?: string
	log?: Logger
	/** How often an idle queue asks for work. */
	pollIntervalMs?: number
	/** How often to look for exports whose worker died. */
	reapIntervalMs?: number
	/** A job fetched this long ago whose export never started counts as abandoned. */
	abandonedAfterSeconds?: number
	/** Queues to work; all of them by default. */
	queues?: JobId[]
	/** Register the cron schedules (prunes); on by default. */
	schedule?: boolean
}

export type RunningWorker = {
	/** Stops fetching, lets running jobs finish for up to `graceMs`, then hands the rest back. */
	stop: (options?: { graceMs?: number }) => Promise<void>
	/** Looks for exports abandoned by a dead worker now; also runs on a timer. */
	reapAbandoned: () => Promise<number>
}

type AnyDefinition = JobDefinition<unknown>

const delay = (ms: number, signal?: AbortSignal) =>
	new Promise<void>((resolve) => {
		if (signal?.aborted) return resolve()
		const done = () => {
			clearTimeout(timer)
			signal?.removeEventListener('abort', done)
			resolve()
		}
		const timer = setTimeout(done, ms)
		signal?.addEventListener('abort', done, { once: true })
	})

function errorOutput(error: unknown) {
	return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) }
}

/** The database being away (a restart, a failover) is expected now and then: a warning, not an error. */
function logFailure(log: Logger, message: string, error: unknown, fields: Record<string, unknown> = {}) {
	if (isDatabaseUnavailable(error))
		log.warn(`${message}: database unavailable`, { ...fields, error: errorOutput(error).message })
	else log.error(message, { ...fields, error: errorOutput(error).message })
}

/**
 * Runs the job queues in this process. Each queue works one job at a time (run more workers to
 * go faster); fetching, completing and failing are explicit, so a job's outcome is recorded
 * before the worker moves on or stops.
 */
export async function startWorker({
	connectionString = process.env.DATABASE_URL,
	log = createLogger({ component: 'worker' }),
	pollIntervalMs = 2_000,
	reapIntervalMs = 15_000,
	abandonedAfterSeconds = 60,
	queues = jobIds,
	schedule = true,
}: WorkerOptions = {}): Promise<RunningWorker> {
	if (!connectionString) throw new Error('DATABASE_URL is not set: the database was not started before use')
	const boss = createBoss({ connectionString, role: 'worker' })
	await boss.start()
	await ensureQueues(boss)

	const handlers = new Map<JobId, JobHandler<unknown>>()
	for (const id of queues) {
		const definition = jobs[id] as AnyDefinition
		const module = await definition.load()
		if (!module) {
			log.warn('no handler for this job yet; its queue is not worked', { job: id })
			continue
		}
		handlers.set(id, module.default)
		if (schedule && definition.queue.cron) await boss.schedule(id, definition.queue.cron, {}, { tz: 'UTC' })
	}

	const stopping = new AbortController()
	const handBack = new AbortController()

	async function runJob(id: JobId, handler: JobHandler<unknown>, job: PgBoss.JobWithMetadata<unknown>) {
		const definition = jobs[id] as AnyDefinition
		const jobLog = log.child({ job: id, jobId: job.id, attempt: job.retryCount + 1 })
		const payload = definition.payload.safeParse(job.data)
		if (!payload.success) {
			// Retrying cannot fix a payload the code does not understand.
			jobLog.error('invalid job payload; dropped', { issues: payload.error.issues.map((issue) => issue.message) })
			await boss.complete(id, job.id, { dropped: 'invalid payload' })
			return
		}
		try {
			const output = await handler({
				payload: payload.data,
				jobId: job.id,
				retryCount: job.retryCount,
				retryLimit: job.retryLimit,
				signal: handBack.signal,
				log: jobLog,
			})
			await boss.complete(id, job.id, output && typeof output === 'object' ? output : {})
		} catch (error) {
			if (handBack.signal.aborted) jobLog.info('handed back to the queue', { reason: errorOutput(error).message })
			else jobLog.warn('job failed', { error: errorOutput(error).message, retryLimit: job.retryLimit })
			await boss.fail(id, job.id, errorOutput(error))
		}
	}

	async function workQueue(id: JobId, handler: JobHandler<unknown>) {
		while (!stopping.signal.aborted) {
			let job: PgBoss.JobWithMetadata<unknown> | undefined
			try {
				;[job] = await boss.fetch<unknown>(id, { batchSize: 1, includeMetadata: true })
			} catch (error) {
				logFailure(log, 'fetching a job failed', error, { job: id })
			}
			if (!job) {
				await delay(pollIntervalMs, stopping.signal)
				continue
			}
			try {
				await runJob(id, handler, job)
			} catch (error) {
				// Recording the outcome failed (database gone?); expiry or the reaper returns the job.
				logFailure(log, 'recording a job outcome failed', error, { job: id, jobId: job.id })
				await delay(pollIntervalMs, stopping.signal)
			}
		}
	}

	const reapAbandoned = async () =>
		(handlers.has('export.build')
			? await reapAbandonedExports({ boss, connectionString, abandonedAfterSeconds, log })
			: 0) +
		(handlers.has('generate.responses')
			? await reapAbandonedGenerations({ boss, connectionString, abandonedAfterSeconds, log })
			: 0) +
		(handlers.has('judge.run')
			? await reapAbandonedJudgeRuns({ boss, connectionString, abandonedAfterSeconds, log })
			: 0)

	const reapSafely = () =>
		reapAbandoned().catch((error: unknown) => {
			logFailure(log, 'looking for abandoned exports failed', error)
			return 0
		})
	const reaps = handlers.has('export.build') || handlers.has('generate.responses') || handlers.has('judge.run')
	if (reaps) await reapSafely()
	const reaper = reaps ? setInterval(() => void reapSafely(), reapIntervalMs) : undefined
	reaper?.unref()

	const loops = [...handlers].map(([id, handler]) => workQueue(id, handler))
	const settled = Promise.all(loops)
	log.info('worker started', { queues: [...handlers.keys()] })

	let stopped: Promise<void> | undefined
	async function stop({ graceMs = 30_000 }: { graceMs?: number } = {}) {
		stopped ??= (async () => {
			stopping.abort()
			clearInterval(reaper)
			const finished = await Promise.race([settled.then(() => true), delay(graceMs).then(() => false)])
			if (!finished) {
				log.info('handing running jobs back to the queue')
				handBack.abort()
				await Promise.race([settled, delay(Math.max(graceMs, 10_000))])
			}
			await boss.stop({ graceful: false, close: true, wait: true })
			log.info('worker stopped')
		})()
		return stopped
	}

	return { stop, reapAbandoned }
}
