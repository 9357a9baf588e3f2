import { z } from 'zod'

const JudgingReadSchema = z.looseObject({
	routing: z.looseObject({}).nullish(),
	includeInAnalytics: z.boolean().nullish(),
})

/**
 * What the readers need from `projects.judging`: whether AI judges' judgments count in the human
 * figures (off unless the project asks), and whether hybrid routing is on. Unreadable settings
 * read as the defaults, so a malformed column never lets model judgments into human figures.
 */
export function readJudging(value: unknown): { includeInAnalytics: boolean; routing: boolean } {
	const parsed = JudgingReadSchema.safeParse(value ?? {})
	if (!parsed.success) return { includeInAnalytics: false, routing: false }
	return { includeInAnalytics: parsed.data.includeInAnalytics === true, routing: Boolean(parsed.data.routing) }
}
