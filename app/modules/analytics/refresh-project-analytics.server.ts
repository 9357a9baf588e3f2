import type { Prisma } from '#app/generated/prisma/client.ts'
import { parseCriteria } from '#app/modules/projects/json-columns.ts'
import { refreshAdaptiveItems } from '#app/modules/assignments/refresh-adaptive-items.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { notFound } from '#app/utils/errors.ts'
import { ANALYTICS_KINDS, type SnapshotData } from './analytics.types.ts'
import { comparisonUnitItems, includesSelfIdentified } from './comparison-units.ts'
import { computeLeaderboardExtras } from './compute-leaderboard-extras.server.ts'
import { createAnalyticsAccumulator, poolOf } from './create-analytics-accumulator.ts'
import { createDawidSkeneCollector } from './dawid-skene-analytics.ts'
import { readJudging } from './judging-settings.ts'
import { loadItemPreviews } from './load-item-previews.server.ts'
import { loadItemReferences } from './load-item-references.server.ts'
import { refreshArenaWeights } from './refresh-arena-weights.server.ts'
import { streamAnalyticsItems } from './stream-analytics-items.server.ts'

/**
 * Recomputes every analytics figure of a project from its judgments and stores them as
 * snapshots, all in one transaction so the pages never mix two computations. Run by the worker
 * (job `analytics.refresh`), and on first view of a small project.
 */
export async function refreshProjectAnalytics({ projectId, now = new Date() }: { projectId: string; now?: Date }) {
	const project = await prisma.project.findUnique({
		where: { id: projectId },
		select: { taskType: true, criteria: true, randomizeOrder: true, pairPolicy: true, arena: true, judging: true },
	})
	if (!project) throw notFound('No such project')
	const criteria = parseCriteria(project.criteria).map(({ name, min, max }) => ({ name, min, max }))
	const { includeInAnalytics: includeModel } = readJudging(project.judging)
	const comparison = project.taskType === 'comparison'
	const includeSelfIdentified = comparison && includesSelfIdentified(project.arena)
	const accumulator = createAnalyticsAccumulator({
		project: { taskType: project.taskType, criteria, randomizeOrder: project.randomizeOrder, includeSelfIdentified },
		includeModel,
	})
	const dawidSkene = createDawidSkeneCollector({ taskType: comparison ? 'pairwise' : project.taskType })
	await streamAnalyticsItems({
		projectId,
		onItem: (item) => {
			accumulator.addItem(item)
			const pooled = poolOf({ item, includeModel })
			if (comparison) for (const unit of comparisonUnitItems(pooled)) dawidSkene.addItem(unit)
			else dawidSkene.addItem(pooled)
		},
	})

	const users = await prisma.user.findMany({
		where: { id: { in: accumulator.annotatorIds() } },
		select: { id: true, displayName: true },
	})
	const names = new Map(users.map((user) => [user.id, user.displayName]))
	const consensus = await dawidSkene.finish({ names, loadItems: (seqs) => loadItemReferences({ projectId, seqs }) })
	// Adaptive overlap reads the reliabilities at submit time (ADR 0020); written before the snapshots.
	const adaptive =
		project.taskType === 'pairwise'
			? await refreshAdaptiveItems({ projectId, estimates: dawidSkene.estimates(), now })
			: { reopened: [] }
	const snapshots: SnapshotData = { ...accumulator.finish({ names, now }), 'dawid-skene': consensus }
	await refreshArenaWeights({ projectId, project, pairs: snapshots.leaderboard.pairs })
	const previews = await loadItemPreviews({ itemIds: snapshots['review-queue'].items.map((entry) => entry.itemId) })
	for (const entry of snapshots['review-queue'].items) entry.preview = previews.get(entry.itemId) ?? ''
	Object.assign(
		snapshots.leaderboard,
		await computeLeaderboardExtras({
			projectId,
			pairwise: project.taskType === 'pairwise',
			comparison: comparison ? { includeSelfIdentified } : null,
			criteria: criteria.map((criterion) => criterion.name),
			battles: snapshots.leaderboard.battles,
			includeModel,
		}),
	)

	await prisma.$transaction(
		ANALYTICS_KINDS.map((kind) => {
			const data = snapshots[kind] as unknown as Prisma.InputJsonValue
			return prisma.analyticsSnapshot.upsert({
				where: { projectId_kind: { projectId, kind } },
				create: { projectId, kind, data, computedAt: now },
				update: { data, computedAt: now },
			})
		}),
	)
	return {
		computedAt: now.toISOString(),
		judgments: snapshots.agreement.judgments + snapshots.agreement.goldJudgments,
		reopened: adaptive.reopened.length,
	}
}
