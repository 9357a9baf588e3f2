import { z } from 'zod'
import type { Logger } from '#app/utils/logger.server.ts'

/**
 * The job registry. A job is an id, a zod payload that carries ids only (the handler loads
 * everything else, so a retried job sees current data), queue options, and a lazily imported
 * handler, so enqueueing from the app never loads worker code.
 */
export type JobContext<Payload> = {
	payload: Payload
	jobId: string
	/** 0 on the first attempt. */
	retryCount: number
	retryLimit: number
	/** Aborted when the worker shuts down and the job should hand itself back. */
	signal: AbortSignal
	log: Logger
}

export type JobHandler<Payload> = (context: JobContext<Payload>) => Promise<unknown>

export type JobModule<Payload> = { default: JobHandler<Payload> }

export type QueueOptions = {
	retryLimit: number
	retryDelaySeconds: number
	retryBackoff: boolean
	expireInSeconds: number
	/** Cron for jobs the worker schedules itself (UTC). */
	cron?: string
}

export type JobDefinition<Payload = unknown> = {
	id: string
	payload: z.ZodType<Payload>
	queue: QueueOptions
	/** Resolves to null while the handler module does not exist yet. */
	load: () => Promise<JobModule<Payload> | null>
}

function defineJob<Payload>(definition: JobDefinition<Payload>): JobDefinition<Payload> {
	return definition
}


const minutes = 60
const hours = 3600

export const ExportBuildPayloadSchema = z.strictObject({ exportId: z.uuid() })
export const AnalyticsRefreshPayloadSchema = z.strictObject({ projectId: z.guid() })
export const EmptyPayloadSchema = z.strictObject({})

export const jobs = {
	'export.build': defineJob({
		id: 'export.build',
		payload: ExportBuildPayloadSchema,
		// An export can take a while on millions of judgments; a crashed worker is detected much
		// sooner through its advisory lock (see workers/worker.ts), so expiry is only a backstop.
		queue: { retryLimit: 6, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 6 * hours },
		load: () => import('./export-build.ts'),
	}),
	'exports.prune': defineJob({
		id: 'exports.prune',
		payload: EmptyPayloadSchema,
		queue: { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * minutes, cron: '17 * * * *' },
		load: () => import('./exports-prune.ts'),
	}),
	'sessions.prune': defineJob({
		id: 'sessions.prune',
		payload: EmptyPayloadSchema,
		queue: { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * minutes, cron: '43 * * * *' },
		load: () => import('./sessions-prune.ts'),
	}),
	'limits.prune': defineJob({
		id: 'limits.prune',
		payload: EmptyPayloadSchema,
		queue: { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * minutes, cron: '47 * * * *' },
		load: () => import('./limits-prune.ts'),
	}),
	'analytics.refresh': defineJob({
		id: 'analytics.refresh',
		payload: AnalyticsRefreshPayloadSchema,
		queue: { retryLimit: 3, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 1 * hours },
		load: () => import('./analytics-refresh.ts'),
	}),
	'analytics.refresh-stale': defineJob({
		id: 'analytics.refresh-stale',
		payload: EmptyPayloadSchema,
		queue: { retryLimit: 1, retryDelaySeconds: 60, retryBackoff: false, expireInSeconds: 10 * minutes, cron: '*/5 * * * *' },
		load: () => import('./analytics-refresh-stale.ts'),
	}),
}

export type JobId = keyof typeof jobs
export type JobPayload<Id extends JobId> = z.input<(typeof jobs)[Id]['payload']>

export const jobIds = Object.keys(jobs) as JobId[]

/** The queues a worker works, from WORKER_QUEUES (comma-separated job names); all when unset or empty. */
export function queuesFromSetting(setting: string | undefined): JobId[] {
	const wanted = (setting ?? '').split(',').map((name) => name.trim()).filter(Boolean)
	if (wanted.length === 0) return jobIds
	const unknown = wanted.filter((name) => !(jobIds as string[]).includes(name))
	if (unknown.length > 0) throw new Error(`WORKER_QUEUES: unknown job ${unknown.join(', ')}; choose from ${jobIds.join(', ')}`)
	return jobIds.filter((id) => wanted.includes(id))
}
