import type { ReviewQueueEntry } from './analytics.types.ts'
import { consensusFor, type Vote } from './consensus.ts'

type QueueItem = {
	itemId: string
	externalId: string
	seq: number
	responseIds: string[]
	/** A comparison unit's pair: the entry is about these two keys. */
	pair?: [string, string]
	adjudication: { ranking: string[][]; bothBad: boolean; strength: number | null; createdAt: string } | null
}

/**
 * An item's entry in the review queue, or null when it is not disputed: fewer than two
 * judgments, or all of them agree. The disagreement is among the annotators; the consensus is
 * the adjudication when there is one.
 */
export function reviewQueueEntry({
	item,
	votes,
	preview = '',
}: {
	item: QueueItem
	votes: Vote[]
	preview?: string
}): ReviewQueueEntry | null {
	const own = consensusFor({ responseIds: item.responseIds, votes })
	if (votes.length < 2 || own.disagreement <= 0) return null
	const final = item.adjudication
		? consensusFor({ responseIds: item.responseIds, votes, adjudication: item.adjudication })
		: own
	const answers = new Map<string, { ranking: string[][]; bothBad: boolean; count: number }>()
	for (const vote of votes) {
		const ranking = vote.ranking.map((tier) => [...tier].sort())
		const key = JSON.stringify([ranking, vote.bothBad])
		const entry = answers.get(key)
		if (entry) entry.count++
		else answers.set(key, { ranking, bothBad: vote.bothBad, count: 1 })
	}
	return {
		itemId: item.itemId,
		...(item.pair ? { pair: item.pair } : {}),
		externalId: item.externalId,
		seq: item.seq,
		preview,
		disagreement: own.disagreement,
		votes: votes.length,
		answers: [...answers.values()].sort((x, y) => y.count - x.count),
		consensus: { ranking: final.ranking, bothBad: final.bothBad, strength: final.strength, agreement: final.agreement },
		adjudicated: !!item.adjudication,
		adjudicatedAt: item.adjudication?.createdAt ?? null,
	}
}
