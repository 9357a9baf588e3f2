import type { ReviewQueueEntry } from './analytics.types.ts'

/**
 * Open items first, most disputed first, then those with more judgments, then import order;
 * adjudicated items after them, latest first.
 */
export function sortReviewQueue(entries: readonly ReviewQueueEntry[]) {
	return [...entries].sort((a, b) => {
		if (a.adjudicated !== b.adjudicated) return a.adjudicated ? 1 : -1
		if (a.adjudicated) return (b.adjudicatedAt ?? '').localeCompare(a.adjudicatedAt ?? '') || a.seq - b.seq
		return b.disagreement - a.disagreement || b.votes - a.votes || a.seq - b.seq
	})
}
