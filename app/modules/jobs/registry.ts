import type { z } from 'zod'
import type { Logger } from '#app/utils/logger.server.ts'
import {
	AnalyticsRefreshPayloadSchema,
	EmptyPayloadSchema,
	ExportBuildPayloadSchema,
	GenerateResponsesPayloadSchema,
	JudgeRunPayloadSchema,
} from './jobs.schema.ts'

/**
 * The job registry. A job is an id, a zod payload that carries ids only (the handler loads
 * everything else, so a retried job sees current data), queue options, and a lazily imported
 * handler, so enqueueing from the app never loads a handler.
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

export const jobs = {
	'export.build': defineJob({
		id: 'export.build',
		payload: ExportBuildPayloadSchema,
		// An export can take a while on millions of judgments; a crashed worker is detected much
		// sooner through its advisory lock (see reap-exports.server.ts), so expiry is only a backstop.
		queue: { retryLimit: 6, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 6 * hours },
		load: () => import('./handlers/export-build.server.ts'),
	}),
	'exports.prune': defineJob({
		id: 'exports.prune',
		payload: EmptyPayloadSchema,
		queue: {
			retryLimit: 3,
			retryDelaySeconds: 60,
			retryBackoff: true,
			expireInSeconds: 30 * minutes,
			cron: '17 * * * *',
		},
		load: () => import('./handlers/exports-prune.server.ts'),
	}),
	'sessions.prune': defineJob({
		id: 'sessions.prune',
		payload: EmptyPayloadSchema,
		queue: {
			retryLimit: 3,
			retryDelaySeconds: 60,
			retryBackoff: true,
			expireInSeconds: 30 * minutes,
			cron: '43 * * * *',
		},
		load: () => import('./handlers/sessions-prune.server.ts'),
	}),
	'limits.prune': defineJob({
		id: 'limits.prune',
		payload: EmptyPayloadSchema,
		queue: {
			retryLimit: 3,
			retryDelaySeconds: 60,
			retryBackoff: true,
			expireInSeconds: 30 * minutes,
			cron: '47 * * * *',
		},
		load: () => import('./handlers/limits-prune.server.ts'),
	}),
	'analytics.refresh': defineJob({
		id: 'analytics.refresh',
		payload: AnalyticsRefreshPayloadSchema,
		queue: { retryLimit: 3, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 1 * hours },
		load: () => import('./handlers/analytics-refresh.server.ts'),
	}),
	'analytics.refresh-stale': defineJob({
		id: 'analytics.refresh-stale',
		payload: EmptyPayloadSchema,
		queue: {
			retryLimit: 1,
			retryDelaySeconds: 60,
			retryBackoff: false,
			expireInSeconds: 10 * minutes,
			cron: '*/5 * * * *',
		},
		load: () => import('./handlers/analytics-refresh-stale.server.ts'),
	}),
	'generate.responses': defineJob({
		id: 'generate.responses',
		payload: GenerateResponsesPayloadSchema,
		// A run can call slow models for hours; a dead worker is found through the run's advisory
		// lock (see reap-generations.server.ts), so expiry is only a backstop.
		queue: { retryLimit: 6, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 12 * hours },
		load: () => import('./handlers/generate-responses.server.ts'),
	}),
	'judge.run': defineJob({
		id: 'judge.run',
		payload: JudgeRunPayloadSchema,
		// Like a generation: a dead worker is found through the run's advisory lock (see reap-judge-runs.server.ts).
		queue: { retryLimit: 6, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 12 * hours },
		load: () => import('./handlers/judge-run.server.ts'),
	}),
}

export type JobId = keyof typeof jobs
export type JobPayload<Id extends JobId> = z.input<(typeof jobs)[Id]['payload']>

export const jobIds = Object.keys(jobs) as JobId[]
