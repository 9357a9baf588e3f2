import { z } from 'zod'
import type { CoefficientEntry, ControlKey, LeaderboardEntry, LeaderboardSnapshot } from './analytics.types.ts'

const flag = z
	.enum(['true', 'false', 'on', '1', '0'])
	.optional()
	.transform((value) => value === 'true' || value === 'on' || value === '1')

/** The leaderboard's view switches, from the page's form or the API's query string. */
export const LeaderboardViewQuerySchema = z.object({
	style: flag,
	position: flag,
	/** A category board's key (`metadata.<field>` or `criterion.<name>`) and one of its values. */
	category: z.string().max(200).optional(),
	value: z.string().max(500).optional(),
})
export type LeaderboardViewQuery = z.output<typeof LeaderboardViewQuerySchema>

export type LeaderboardView = {
	control: ControlKey | null
	category: { key: string; value: string; sparse: boolean } | null
	rows: LeaderboardEntry[]
	coefficients: CoefficientEntry[]
	battles: number
	bootstrapRounds: number
	/** Why the chosen view is not shown (too few battles, or computed before it existed). */
	unavailable: string | null
}

/**
 * The rows the chosen switches show: plain, style- and/or position-controlled, or one category's
 * (categories are plain Bradley–Terry: control needs more battles than a category usually has).
 */
export function leaderboardView({
	snapshot,
	query,
}: {
	snapshot: LeaderboardSnapshot
	query: LeaderboardViewQuery
}): LeaderboardView {
	const plain: LeaderboardView = {
		control: null,
		category: null,
		rows: snapshot.rows,
		coefficients: [],
		battles: snapshot.battles,
		bootstrapRounds: snapshot.bootstrapRounds,
		unavailable: null,
	}
	if (query.category) {
		const board = snapshot.categories?.find((entry) => entry.key === query.category)
		const chosen = board?.values.find((entry) => entry.value === (query.value ?? board.values[0]?.value))
		if (!board || !chosen)
			return {
				...plain,
				unavailable: `No category ${query.category}${query.value ? ` = ${query.value}` : ''} in these figures.`,
			}
		return {
			...plain,
			category: { key: board.key, value: chosen.value, sparse: chosen.sparse },
			rows: chosen.rows,
			battles: chosen.battles,
		}
	}
	const control: ControlKey | null =
		query.style && query.position ? 'style-position' : query.style ? 'style' : query.position ? 'position' : null
	if (!control) return plain
	if (!snapshot.controls)
		return {
			...plain,
			control,
			unavailable: 'These figures were computed before style control existed: recompute them.',
		}
	const board = snapshot.controls[control]
	if (!board) return { ...plain, control, unavailable: 'Too few battles to control for style or position.' }
	return {
		control,
		category: null,
		rows: board.rows,
		coefficients: board.coefficients,
		battles: board.battles,
		bootstrapRounds: board.bootstrapRounds,
		unavailable: null,
	}
}
