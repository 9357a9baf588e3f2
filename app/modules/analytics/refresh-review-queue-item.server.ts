import type { Prisma } from '#app/generated/prisma/client.ts'
import { parseRanking } from '#app/modules/projects/json-columns.ts'
import type { ReviewQueueSnapshot } from './analytics.types.ts'
import { comparisonPairKey, rankingCoversPair } from './comparison-units.ts'
import { loadItemPreviews } from './load-item-previews.server.ts'
import { readJudging } from './judging-settings.ts'
import { reviewQueueEntry } from './review-queue-entry.ts'
import { sortReviewQueue } from './sort-review-queue.ts'

type Status = 'open' | 'adjudicated' | 'none'

/**
 * Recomputes one item's entry in the stored review queue (after an adjudication), inside the
 * caller's transaction, without recomputing the whole project. The counts move the item from
 * its previous status to the new one; an item beyond the stored top of the queue was counted
 * as open or adjudicated by whether it had been adjudicated before.
 */
export async function refreshReviewQueueItem({
	tx,
	projectId,
	itemId,
	previouslyAdjudicated,
	now = new Date(),
	pair,
}: {
	tx: Prisma.TransactionClient
	projectId: string
	itemId: string
	previouslyAdjudicated: boolean
	now?: Date
	/** A comparison item's entry is per pair: the pair decided, in stored order (ADR 0024). */
	pair?: [string, string]
}) {
	const [snapshot] = await tx.$queryRaw<{ data: ReviewQueueSnapshot }[]>`
		SELECT data FROM analytics_snapshots WHERE project_id = ${projectId}::uuid AND kind = 'review-queue' FOR UPDATE`
	if (!snapshot) return null
	const data = snapshot.data
	// One query at a time: a transaction holds one connection, and nested selects would run in parallel on it.
	const item = await tx.item.findUniqueOrThrow({ where: { id: itemId }, select: { externalId: true, seq: true } })
	const responses = await tx.response.findMany({
		where: { itemId },
		select: { key: true },
		orderBy: { position: 'asc' },
	})
	const project = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { judging: true } })
	const judgments = await tx.judgment.findMany({
		where: { itemId, ...(readJudging(project.judging).includeInAnalytics ? {} : { source: 'human' }) },
		select: { userId: true, ranking: true, bothBad: true, strength: true, displayOrder: true },
		orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
	})
	const adjudications = await tx.adjudication.findMany({
		where: { itemId },
		orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
	})
	const latest = pair
		? adjudications.find((entry) => rankingCoversPair(parseRanking(entry.ranking), pair))
		: adjudications[0]
	const votes = judgments
		.filter(
			(judgment) =>
				!pair || (judgment.displayOrder.length === 2 && pair.every((key) => judgment.displayOrder.includes(key))),
		)
		.map(({ displayOrder: _shown, ...judgment }) => ({ ...judgment, ranking: parseRanking(judgment.ranking) }))
	const sameEntry = (entry: { itemId: string; pair?: [string, string] }) =>
		entry.itemId === itemId && (!pair || (!!entry.pair && comparisonPairKey(entry.pair) === comparisonPairKey(pair)))
	const old = data.items.find(sameEntry)
	const preview = old?.preview ?? (await loadItemPreviews({ itemIds: [itemId] })).get(itemId) ?? ''
	const entry = reviewQueueEntry({
		item: {
			itemId,
			externalId: item.externalId,
			seq: Number(item.seq),
			responseIds: pair ?? responses.map((response) => response.key),
			...(pair ? { pair } : {}),
			adjudication: latest
				? {
						ranking: parseRanking(latest.ranking),
						bothBad: latest.bothBad,
						strength: latest.strength,
						createdAt: latest.createdAt.toISOString(),
					}
				: null,
		},
		votes,
		preview,
	})
	const before: Status = old
		? old.adjudicated
			? 'adjudicated'
			: 'open'
		: entry
			? previouslyAdjudicated
				? 'adjudicated'
				: 'open'
			: 'none'
	const after: Status = entry ? (entry.adjudicated ? 'adjudicated' : 'open') : 'none'
	if (before === 'open') data.openCount = Math.max(0, data.openCount - 1)
	if (before === 'adjudicated') data.adjudicatedCount = Math.max(0, data.adjudicatedCount - 1)
	if (after === 'open') data.openCount++
	if (after === 'adjudicated') data.adjudicatedCount++
	const sorted = sortReviewQueue([...data.items.filter((existing) => !sameEntry(existing)), ...(entry ? [entry] : [])])
	const openEntries = sorted.filter((existing) => !existing.adjudicated).slice(0, data.limits.open)
	const adjudicatedEntries = sorted.filter((existing) => existing.adjudicated).slice(0, data.limits.adjudicated)
	data.items = [...openEntries, ...adjudicatedEntries]
	data.updatedAt = now.toISOString()
	await tx.$executeRaw`
		UPDATE analytics_snapshots SET data = ${JSON.stringify(data)}::jsonb WHERE project_id = ${projectId}::uuid AND kind = 'review-queue'`
	return entry
}
