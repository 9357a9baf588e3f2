import { TaskType } from '#app/generated/prisma/enums.ts'
import type { StoredCriterion, StoredRanking } from '#app/modules/projects/json-columns.ts'
import { rankingImpliedPairs } from '#app/modules/stats/rankings.ts'
import { consensusFor, signedPreference, type Vote } from './consensus.ts'
import { pairwiseVoteSummary } from './pairwise-vote-summary.ts'

export type AnalyticsJudgment = {
	userId: string
	ranking: StoredRanking
	bothBad: boolean
	strength: number | null
	criteria: Record<string, Record<string, number>> | null
	activeMs: number | null
	displayOrder: string[]
	/** Who wrote it (absent: a person); an AI judge's are kept out of the human figures unless the project asks. */
	source?: 'human' | 'model'
	positionInconsistent?: boolean
	/** An AI judge's parsed verdicts in the orders it saw. */
	calls?: { displayOrder: string[]; ranking: StoredRanking }[] | null
}

export type AnalyticsItem = {
	itemId: string
	externalId: string
	seq: number
	isGold: boolean
	gold: { ranking: StoredRanking } | null
	/** In stored order: the first is the reference of the signed preference. */
	responses: { key: string; model: string | null; length: number; selfIdentifies?: boolean }[]
	judgments: AnalyticsJudgment[]
	adjudication: AnalyticsAdjudication | null
	/** Comparison projects: every pair's latest adjudication (each ranks the two keys of its pair). */
	adjudications?: AnalyticsAdjudication[]
	/** Set on a comparison unit: the two keys its judgments saw, in stored order (ADR 0024). */
	pair?: [string, string]
	/** A comparison unit whose battles the leaderboard leaves out (a shown response names its model). */
	selfIdentified?: boolean
}

export type AnalyticsAdjudication = {
	ranking: StoredRanking
	bothBad: boolean
	strength: number | null
	createdAt: string
}

export type AnalyticsProject = {
	taskType: TaskType
	criteria: Pick<StoredCriterion, 'name' | 'min' | 'max'>[]
	randomizeOrder: boolean
	/** Comparison projects: count battles whose shown responses name their own model (`arena.includeSelfIdentified`). */
	includeSelfIdentified?: boolean
}

/** Choice codes for nominal agreement on pairwise items. */
export const CHOICE = { first: 1, second: 2, tie: 3, bothBad: 4 } as const

export function choiceOf({
	judgment,
	first,
	second,
}: {
	judgment: Pick<Vote, 'ranking' | 'bothBad'>
	first: string
	second: string
}) {
	if (judgment.bothBad) return CHOICE.bothBad
	const sign = signedPreference({ vote: { ranking: judgment.ranking, bothBad: false, strength: null }, first, second })
	return sign > 0 ? CHOICE.first : sign < 0 ? CHOICE.second : CHOICE.tie
}

/**
 * What the parts of the analytics accumulator read from one (non-gold) item, computed once and
 * shared: the votes, per-judgment codes, the item's disagreement and each judgment's agreement
 * with the others. The per-judgment arrays are index-aligned with `item.judgments`.
 */
export type ItemReading = {
	votes: Vote[]
	/** Each judgment's choice (CHOICE) when the item is a pair in a pairwise project, else null. */
	codes: number[] | null
	/** With two or more judgments of a pair: each judgment's signed preference −3..+3. */
	signed: number[] | null
	/** With two or more judgments otherwise: each judgment's implied pairs, `first\0second` → −1, 0 or 1. */
	implied: Map<string, number>[] | null
	/** 0 when the annotators all agree, up to 1; 0 with fewer than two judgments. */
	disagreement: number
	/** With two or more judgments: each judgment's agreement with the consensus of the others, null when undefined. */
	leaveOneOut: readonly (number | null)[] | null
}

export const pairKey = (first: string, second: string) => `${first}\u0000${second}`

export function readAnalyticsItem({ item, taskType }: { item: AnalyticsItem; taskType: TaskType }): ItemReading {
	const list = item.judgments
	const votes: Vote[] = list.map((judgment) => ({
		userId: judgment.userId,
		ranking: judgment.ranking,
		bothBad: judgment.bothBad,
		strength: judgment.strength,
	}))
	const shared = votes.length >= 2
	const [first, second] = item.responses
	if (taskType === TaskType.pairwise && first && second) {
		const codes = list.map((judgment) => choiceOf({ judgment, first: first.key, second: second.key }))
		const summary = pairwiseVoteSummary({
			signs: codes.map((code) => (code === CHOICE.first ? 1 : code === CHOICE.second ? -1 : 0)),
		})
		return {
			votes,
			codes,
			signed: shared
				? list.map((judgment) => signedPreference({ vote: judgment, first: first.key, second: second.key }))
				: null,
			implied: null,
			disagreement: summary.disagreement,
			leaveOneOut: shared ? summary.leaveOneOut : null,
		}
	}
	if (!shared) return { votes, codes: null, signed: null, implied: null, disagreement: 0, leaveOneOut: null }
	const responseIds = item.responses.map((response) => response.key)
	return {
		votes,
		codes: null,
		signed: null,
		implied: list.map(
			(judgment) =>
				new Map(
					rankingImpliedPairs(judgment.ranking).map((pair) => [pairKey(pair.first, pair.second), pair.value as number]),
				),
		),
		disagreement: consensusFor({ responseIds, votes }).disagreement,
		leaveOneOut: votes.map((vote, i) => {
			const others = consensusFor({ responseIds, votes: votes.filter((_, j) => j !== i) })
			return consensusFor({ responseIds, votes: [vote], adjudication: others }).agreement
		}),
	}
}
