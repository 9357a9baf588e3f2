import { z } from 'zod'

const booleanFlag = z
	.enum(['true', 'false', '1', '0', ''], { error: 'skipInvalid must be true or false' })
	.optional()
	.transform((value) => value === 'true' || value === '1')

export const ImportQuerySchema = z.object({
	skipInvalid: booleanFlag,
	filename: z.string().trim().max(255).optional(),
})
export type ImportQuery = z.infer<typeof ImportQuerySchema>

/** How many error entries a report lists; `errorCount` always has the total. */
export const MAX_REPORTED_ERRORS = 1000
