import { z } from 'zod'

export const JudgeRunRequestSchema = z.strictObject({
	/** The endpoint's id, or its name (the CLI passes names). */
	endpointId: z.string().trim().min(1, 'pick the endpoint that judges'),
	/** A template that differs from the project's latest becomes its new version. */
	template: z.string().trim().min(1, 'the template is empty').max(100_000).optional(),
	items: z
		.strictObject({
			filter: z.strictObject({ metadata: z.record(z.string(), z.unknown()).optional() }).optional(),
		})
		.optional(),
})
export type JudgeRunRequest = z.infer<typeof JudgeRunRequestSchema>

export const JudgeRoutingSchema = z.strictObject({
	/** The endpoint whose judge decides how many people an item needs. */
	endpointId: z.uuid('endpointId must be a model endpoint id'),
	/** A stated confidence at or above this counts as sure. */
	confidence: z.number().min(0).max(1).default(0.8),
	/** Human judgments an item needs when the judge is sure (spot checks). */
	overlapWhenJudgeSure: z.int().min(0).max(100).default(1),
})
export type JudgeRouting = z.infer<typeof JudgeRoutingSchema>

/** Stored on the project (`projects.judging`). */
export const JudgingSettingsSchema = z.strictObject({
	/** Hybrid routing (fixed-overlap projects): people judge only where the judge is unsure. */
	routing: JudgeRoutingSchema.nullish(),
	/** Count AI judgments in analytics (read elsewhere). */
	includeInAnalytics: z.boolean().optional(),
})
export type JudgingSettings = z.infer<typeof JudgingSettingsSchema>

export function judgingSettings(stored: unknown): JudgingSettings {
	const parsed = JudgingSettingsSchema.safeParse(stored ?? {})
	return parsed.success ? parsed.data : {}
}

export const JudgeTemplateInputSchema = z.object({
	content: z
		.string({ error: 'content is required' })
		.trim()
		.min(1, 'the template is empty')
		.max(100_000, 'The template must be at most 100,000 characters'),
})
