import type { AnalyticsItem } from './analytics-item.ts'
import {
	QUEUE_ADJUDICATED_LIMIT,
	QUEUE_OPEN_LIMIT,
	type ReviewQueueEntry,
	type ReviewQueueSnapshot,
} from './analytics.types.ts'
import type { Vote } from './consensus.ts'
import { reviewQueueEntry } from './review-queue-entry.ts'
import { sortReviewQueue } from './sort-review-queue.ts'

type Candidate = {
	item: AnalyticsItem
	votes: Vote[]
	disagreement: number
	adjudicated: boolean
	adjudicatedAt: string
	seq: number
}

function byDispute(a: Candidate, b: Candidate) {
	if (a.adjudicated) return b.adjudicatedAt.localeCompare(a.adjudicatedAt) || a.seq - b.seq
	return b.disagreement - a.disagreement || b.votes.length - a.votes.length || a.seq - b.seq
}

/**
 * The review queue: every disputed item is counted, but only the most disputed open items and
 * the latest adjudicated ones are kept (each list is cut back to its limit whenever it doubles),
 * and their entries are built at the end, for the items that made it.
 */
export function createReviewQueueAccumulator({
	limits = { open: QUEUE_OPEN_LIMIT, adjudicated: QUEUE_ADJUDICATED_LIMIT },
}: { limits?: { open: number; adjudicated: number } } = {}) {
	let open: Candidate[] = []
	let adjudicated: Candidate[] = []
	let openCount = 0
	let adjudicatedCount = 0

	/** An item with its votes and their disagreement; one with fewer than two votes, or none, is not disputed. */
	function add(item: AnalyticsItem, votes: Vote[], disagreement: number) {
		if (votes.length < 2 || disagreement <= 0) return
		const entry: Candidate = {
			item,
			votes,
			disagreement,
			adjudicated: !!item.adjudication,
			adjudicatedAt: item.adjudication?.createdAt ?? '',
			seq: item.seq,
		}
		if (entry.adjudicated) {
			adjudicatedCount++
			adjudicated.push(entry)
			if (adjudicated.length > 2 * limits.adjudicated)
				adjudicated = adjudicated.sort(byDispute).slice(0, limits.adjudicated)
		} else {
			openCount++
			open.push(entry)
			if (open.length > 2 * limits.open) open = open.sort(byDispute).slice(0, limits.open)
		}
	}

	function finish({ now }: { now: Date }): ReviewQueueSnapshot {
		const entries = [
			...open.sort(byDispute).slice(0, limits.open),
			...adjudicated.sort(byDispute).slice(0, limits.adjudicated),
		]
			.map(({ item, votes }) =>
				reviewQueueEntry({ item: { ...item, responseIds: item.responses.map((response) => response.key) }, votes }),
			)
			.filter((entry): entry is ReviewQueueEntry => entry !== null)
		return {
			openCount,
			adjudicatedCount,
			items: sortReviewQueue(entries),
			limits: { open: limits.open, adjudicated: limits.adjudicated },
			updatedAt: now.toISOString(),
		}
	}

	return { add, finish }
}
