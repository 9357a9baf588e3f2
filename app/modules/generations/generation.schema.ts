import type { TaskType } from '#app/generated/prisma/enums.ts'
import { z } from 'zod'
import { ModelParamsSchema } from '#app/modules/models/model-endpoint.schema.ts'

export const GenerationRequestSchema = z.strictObject({
	endpoints: z
		.array(
			z.strictObject({
				/** The endpoint's id, or its name (the CLI passes names). */
				id: z.string().trim().min(1),
				samples: z.int().min(1).max(9).default(1),
				params: ModelParamsSchema.optional(),
			}),
		)
		.min(1, 'pick at least one endpoint'),
	items: z
		.strictObject({
			filter: z.strictObject({ metadata: z.record(z.string(), z.unknown()).optional() }).optional(),
		})
		.optional(),
	/** A system prompt for this run, in place of the endpoints' own. */
	system: z.string().max(100_000).optional(),
})
export type GenerationRequest = z.infer<typeof GenerationRequestSchema>

/** Stored on the project (`projects.generation`); every field has a default. */
export const GenerationSettingsSchema = z.object({
	/** Ranking projects: how many responses an item needs before it is served (pairwise and comparison: 2). */
	responsesPerItem: z.int().min(2).max(9).optional(),
	/** Two responses whose character 5-gram Jaccard similarity reaches this are near-duplicates. */
	duplicateThreshold: z.number().min(0.5).max(1).default(0.9),
	/** How often one sample is regenerated (near-duplicate, or cut off when `truncated` is "regenerate"). */
	maxRegenerations: z.int().min(0).max(10).default(2),
	/** What to do with a response cut off at max_tokens (finish_reason "length"). */
	truncated: z.enum(['serve', 'regenerate']).default('serve'),
})
export type GenerationSettings = z.infer<typeof GenerationSettingsSchema>

export function generationSettings(stored: unknown): GenerationSettings {
	const parsed = GenerationSettingsSchema.safeParse(stored ?? {})
	return parsed.success ? parsed.data : GenerationSettingsSchema.parse({})
}

/** Responses an item needs before the claim may serve it. */
export function responsesNeeded({ taskType, settings }: { taskType: TaskType; settings: GenerationSettings }) {
	return taskType === 'ranking' ? (settings.responsesPerItem ?? 2) : 2
}

/** Most responses an item may hold. */
export const responseCapacity = (taskType: TaskType) => (taskType === 'pairwise' ? 2 : 9)
