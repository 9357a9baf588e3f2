import { z } from 'zod'
import { formatNames, type FormatName } from '#exports/formats/index.ts'
import { ExportOptionsSchema } from '#exports/options.ts'
import { PageSchema, pageSizeSchema } from '#app/utils/pagination.ts'

export const FormatNameSchema = z.enum(formatNames as [FormatName, ...FormatName[]], {
	error: `format must be one of ${formatNames.join(', ')}`,
})

/**
 * The options of `exports/` plus the filters only the server can resolve: `minGoldAccuracy`
 * excludes annotators whose accuracy on gold items is below it (resolved to pseudonyms in
 * `excludeAnnotators` when the export runs, so the manifest records exactly who was left out).
 */
export const ExportRequestOptionsSchema = ExportOptionsSchema.extend({
	minGoldAccuracy: z
		.number()
		.min(0)
		.max(1)
		.describe('Exclude annotators whose accuracy on gold items is below this')
		.optional(),
}).describe('Every option is recorded in the manifest and on the dataset card.')

export const ExportRequestSchema = z.strictObject({
	format: FormatNameSchema,
	options: ExportRequestOptionsSchema.default(() => ExportRequestOptionsSchema.parse({})),
})

export type ExportRequest = z.output<typeof ExportRequestSchema>
export type ExportRequestInput = z.input<typeof ExportRequestSchema>
export type ExportRequestOptions = z.output<typeof ExportRequestOptionsSchema>

export function splitRequestOptions(options: ExportRequestOptions) {
	const { minGoldAccuracy, ...exportOptions } = options
	return { minGoldAccuracy, options: exportOptions }
}

export const ExportListQuerySchema = z.object({
	page: PageSchema,
	pageSize: pageSizeSchema(100),
	sort: z.enum(['createdAt', 'status', 'format']).default('createdAt'),
	dir: z.enum(['asc', 'desc']).default('desc'),
})
export type ExportListQuery = z.output<typeof ExportListQuerySchema>

/**
 * The export form as the browser sends it (strings, checkboxes) → an export request. Empty
 * fields mean "the default".
 */
export function requestFromForm(form: URLSearchParams | FormData): ExportRequestInput {
	const text = (name: string) => {
		const value = form.get(name)
		return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
	}
	const number = (name: string) => {
		const value = text(name)
		return value === undefined ? undefined : Number(value)
	}
	const checked = (name: string) => form.get(name) === 'on' || form.get(name) === 'true'
	const files = form.getAll('files').map(String)
	const test = number('splitTest')
	const exclude = (text('excludeAnnotators') ?? '')
		.split(/[\s,]+/)
		.map((name) => name.trim())
		.filter(Boolean)
	return {
		format: (text('format') ?? 'trl-preference') as FormatName,
		options: {
			aggregation: text('aggregation') as 'per-judgment' | 'consensus' | 'dawid-skene' | undefined,
			style: text('style') as 'standard' | 'conversational' | undefined,
			ties: text('ties') as 'drop' | 'raw' | undefined,
			margin: text('margin') as 'none' | 'llama2-small' | 'llama2-large' | undefined,
			minAgreement: number('minAgreement'),
			minConfidence: number('minConfidence'),
			minGoldAccuracy: number('minGoldAccuracy'),
			excludeAnnotators: exclude,
			annotators: text('annotators') as 'human' | 'ai' | 'all' | undefined,
			onlyAdjudicated: checked('onlyAdjudicated'),
			split: test === undefined || test === 0 ? undefined : { test, seed: text('splitSeed') ?? '0' },
			dedupe: checked('dedupe'),
			files: files.length > 0 ? (files as ('parquet' | 'jsonl')[]) : undefined,
			gzip: checked('gzip'),
		},
	}
}
