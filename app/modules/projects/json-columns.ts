// The shapes of the JSON columns, parsed where they are read. Input validation (limits, messages
// for people) lives in the *.schema.ts files; these describe what the database already holds.
import { z } from 'zod'

export const StoredCriterionSchema = z.object({
	name: z.string(),
	description: z.string().default(''),
	min: z.number(),
	max: z.number(),
})
export type StoredCriterion = z.infer<typeof StoredCriterionSchema>
export const StoredCriteriaSchema = z.array(StoredCriterionSchema)
export const StoredFlagsSchema = z.array(z.string())

/** A ranking as tiers of response keys, best first: `[["r2"], ["r1", "r3"]]`. */
export const StoredRankingSchema = z.array(z.array(z.string()))
export type StoredRanking = z.infer<typeof StoredRankingSchema>

export const StoredGoldSchema = z.object({ ranking: StoredRankingSchema.optional() }).nullable()
export type StoredGold = z.infer<typeof StoredGoldSchema>

export const StoredChatMessageSchema = z.object({ role: z.string(), content: z.string() })
export const StoredItemContextSchema = z.union([
	z.object({ prompt: z.string() }),
	z.object({ messages: z.array(StoredChatMessageSchema) }),
])
export type StoredItemContext = z.infer<typeof StoredItemContextSchema>

export const parseCriteria = (value: unknown): StoredCriterion[] => StoredCriteriaSchema.parse(value ?? [])
export const parseFlags = (value: unknown): string[] => StoredFlagsSchema.parse(value ?? [])
export const parseRanking = (value: unknown): StoredRanking => StoredRankingSchema.parse(value)
export const parseGold = (value: unknown): StoredGold => StoredGoldSchema.parse(value ?? null)
export const parseItemContext = (value: unknown): StoredItemContext => StoredItemContextSchema.parse(value)

/** A judgment's ratings: response key → criterion name → score. */
export const StoredRatingsSchema = z.record(z.string(), z.record(z.string(), z.number()))
export type StoredRatings = z.infer<typeof StoredRatingsSchema>
/** A judgment's flags: response key → flag names. */
export const StoredResponseFlagsSchema = z.record(z.string(), z.array(z.string()))
export type StoredResponseFlags = z.infer<typeof StoredResponseFlagsSchema>

export const parseRatings = (value: unknown): StoredRatings => StoredRatingsSchema.parse(value ?? {})
export const parseResponseFlags = (value: unknown): StoredResponseFlags => StoredResponseFlagsSchema.parse(value ?? {})
