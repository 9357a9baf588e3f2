import { z } from 'zod'

export const REVIEW_QUEUE_STATUSES = ['open', 'adjudicated', 'all'] as const

export const ReviewQueueQuerySchema = z.object({
	status: z.enum(REVIEW_QUEUE_STATUSES).default('open'),
	/** Only the items where Dawid–Skene and the majority vote disagree. */
	disagreement: z.enum(['dawid-skene']).optional(),
	page: z.coerce.number().int().min(1).default(1),
	pageSize: z.coerce.number().int().min(1).max(500).default(25),
})
export type ReviewQueueQuery = z.output<typeof ReviewQueueQuerySchema>

export const ANNOTATOR_SORTS = [
	'displayName',
	'judgments',
	'looAgreement',
	'goldAccuracy',
	'reliability',
	'positionRate',
	'lengthRate',
	'medianActiveMs',
	'flags',
] as const

export const AnnotatorTableQuerySchema = z.object({
	sort: z.enum(ANNOTATOR_SORTS).default('judgments'),
	dir: z.enum(['asc', 'desc']).default('desc'),
	page: z.coerce.number().int().min(1).default(1),
	pageSize: z.coerce.number().int().min(1).max(200).default(25),
})
export type AnnotatorTableQuery = z.output<typeof AnnotatorTableQuerySchema>

export const ANALYTICS_TABLES = [
	'agreement',
	'annotators',
	'annotator-pairs',
	'review-queue',
	'leaderboard',
	'model-pairs',
	'win-rates',
] as const
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number]

export const AnalyticsDownloadSchema = z.object({
	table: z.enum(ANALYTICS_TABLES, { error: `table must be one of ${ANALYTICS_TABLES.join(', ')}` }),
	format: z.enum(['csv', 'json'], { error: 'format must be csv or json' }).default('csv'),
})
