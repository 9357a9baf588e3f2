import { z } from 'zod'

export const ModelParamsSchema = z.strictObject({
	temperature: z.number().min(0).max(2).optional(),
	top_p: z.number().gt(0).max(1).optional(),
	max_tokens: z.int().min(1).max(1_000_000).optional(),
	seed: z.int().optional(),
	system: z.string().max(100_000).optional(),
	/** Passed through in the request body as is, e.g. Ollama's `options`. */
	extra: z.record(z.string(), z.unknown()).optional(),
})
export type ModelParams = z.infer<typeof ModelParamsSchema>

const BaseUrlSchema = z
	.string()
	.trim()
	.min(1, 'give the base URL, e.g. http://localhost:11434/v1')
	.refine((value) => {
		try {
			const url = new URL(value)
			return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password
		} catch {
			return false
		}
	}, 'expected an http:// or https:// URL without credentials, e.g. http://localhost:11434/v1')
	.transform((value) => value.replace(/\/+$/, ''))

export const ModelEndpointInputSchema = z.strictObject({
	name: z.string().trim().min(1).max(100),
	baseUrl: BaseUrlSchema,
	model: z.string().trim().min(1).max(300),
	apiKey: z.string().trim().max(4096).nullish(),
	params: ModelParamsSchema.optional(),
	concurrency: z.int().min(1).max(256).optional(),
	timeoutSeconds: z.int().min(1).max(3600).optional(),
})
export type ModelEndpointInput = z.infer<typeof ModelEndpointInputSchema>

/** On update, `apiKey: null` or `""` removes the key; leaving it out keeps it. */
export const ModelEndpointPatchSchema = ModelEndpointInputSchema.partial()
export type ModelEndpointPatch = z.infer<typeof ModelEndpointPatchSchema>
