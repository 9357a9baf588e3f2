import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { ReviewQueueQuerySchema } from './analytics.schema.ts'
import { getProjectAnalytics } from './get-project-analytics.server.ts'

/**
 * A page of the project's review queue, most disputed first: open items by default, or the
 * adjudicated ones, or both; with `disagreement=dawid-skene`, only those where Dawid–Skene and the
 * majority vote disagree. The stored queue holds the most disputed open items and the latest
 * adjudicated ones (see QUEUE_OPEN_LIMIT); `openCount` counts every open disputed item.
 */
export async function getReviewQueue({ slug, user, query }: { slug: string; user: SessionUser; query: unknown }) {
	const { status, disagreement, page, pageSize } = ReviewQueueQuerySchema.parse(query)
	const result = await getProjectAnalytics({ slug, user, kinds: ['review-queue', 'dawid-skene'] })
	const queue = result.data?.['review-queue'] ?? null
	const dawidSkene = result.data?.['dawid-skene'] ?? null
	const disagreeing = new Set(
		(dawidSkene?.itemList ?? []).filter((entry) => entry.disagrees).map((entry) => entry.itemId),
	)
	const entries = (queue?.items ?? []).filter(
		(entry) =>
			(status === 'all' || entry.adjudicated === (status === 'adjudicated')) &&
			(disagreement !== 'dawid-skene' || disagreeing.has(entry.itemId)),
	)
	return {
		project: result.project,
		computedAt: result.computedAt,
		updatedAt: queue?.updatedAt ?? null,
		canRecompute: result.canRecompute,
		computed: queue !== null,
		status,
		disagreement: disagreement ?? null,
		dawidSkeneDisagreeCount: dawidSkene?.disagreeCount ?? 0,
		page,
		pageSize,
		openCount: queue?.openCount ?? 0,
		adjudicatedCount: queue?.adjudicatedCount ?? 0,
		total: entries.length,
		items: entries.slice((page - 1) * pageSize, page * pageSize),
	}
}
