import { z } from 'zod'
import { RankingSchema } from '#app/modules/assignments/judgment.schema.ts'

export const AdjudicationInputSchema = z.object({
	ranking: RankingSchema.describe('Tiers of response ids, best first; every response of the item exactly once'),
	bothBad: z.boolean().describe('Pairwise only, with both responses in one tier').optional().default(false),
	strength: z
		.number()
		.int('strength must be a whole number')
		.min(0)
		.max(3)
		.describe('Pairwise, required for a strict preference when the project uses strength')
		.nullish(),
	note: z
		.string({ error: 'note is required: say why this is the answer' })
		.trim()
		.min(1, 'note is required: say why this is the answer')
		.max(5000, 'note must be at most 5,000 characters')
		.describe('Why this is the answer'),
})
export type AdjudicationInput = z.input<typeof AdjudicationInputSchema>

export const PAIRWISE_DECISIONS = ['first', 'second', 'tie', 'both-bad'] as const
export type PairwiseDecision = (typeof PAIRWISE_DECISIONS)[number]

const AdjudicationFormSchema = z.object({
	decision: z.enum(PAIRWISE_DECISIONS, { error: 'Choose the better response, a tie or both bad' }).optional(),
	strength: z.string().optional(),
	note: z.string().optional(),
})

/**
 * The review page's form as an adjudication: a pairwise decision (first, second, tie, both-bad
 * plus strength) over the item's responses in stored order, or for rankings one `rank:<id>`
 * field per response where equal numbers tie (1 is best).
 */
export function adjudicationFromForm({
	form,
	responseIds,
}: {
	form: FormData
	responseIds: string[]
}): AdjudicationInput {
	const fields = AdjudicationFormSchema.parse({
		decision: form.get('decision') ?? undefined,
		strength: form.get('strength') ?? undefined,
		note: form.get('note') ?? undefined,
	})
	const note = fields.note ?? ''
	if (responseIds.length === 2 && !form.has('rank:' + responseIds[0])) {
		const [first, second] = responseIds as [string, string]
		const strength = fields.strength ? Number(fields.strength) : null
		switch (fields.decision) {
			case 'first':
				return { ranking: [[first], [second]], strength, note }
			case 'second':
				return { ranking: [[second], [first]], strength, note }
			case 'both-bad':
				return { ranking: [[first, second]], bothBad: true, note }
			case 'tie':
				return { ranking: [[first, second]], note }
			default:
				return { ranking: [], note }
		}
	}
	const ranks = responseIds.map((id) => ({ id, rank: Number(form.get(`rank:${id}`)) }))
	const tiers = [...new Set(ranks.map((entry) => entry.rank))]
		.filter((rank) => Number.isInteger(rank) && rank >= 1)
		.sort((a, b) => a - b)
		.map((rank) => ranks.filter((entry) => entry.rank === rank).map((entry) => entry.id))
	return { ranking: tiers, note }
}
