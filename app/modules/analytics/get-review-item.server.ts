import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { renderMarkdown, renderModelContent } from '#app/modules/content/render-markdown.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import {
	parseCriteria,
	parseGold,
	parseItemContext,
	parseRanking,
	parseRatings,
	parseResponseFlags,
} from '#app/modules/projects/json-columns.ts'
import { prisma } from '#app/utils/db.server.ts'
import { assertUuid, notFound } from '#app/utils/errors.ts'
import type { ReviewQueueSnapshot } from './analytics.types.ts'
import { assertCanReadAnalytics, canReviewProject } from './analytics-policies.ts'
import { consensusFor } from './consensus.ts'

/**
 * One item as a reviewer sees it: the context, every response rendered safely with its model,
 * every judgment with its annotator and rationale, the adjudications so far and the consensus,
 * plus the next open item of the review queue.
 */
export async function getReviewItem({ slug, itemId, user }: { slug: string; itemId: string; user: SessionUser }) {
	assertCanReadAnalytics(user)
	const project = await getProjectForUser({ slug, user, access: 'read' })
	assertUuid(itemId, 'item')
	const item = await prisma.item.findFirst({
		where: { id: itemId, projectId: project.id },
		select: {
			id: true,
			externalId: true,
			context: true,
			isGold: true,
			gold: true,
			responses: { select: { key: true, model: true, content: true }, orderBy: { position: 'asc' } },
			judgments: {
				select: {
					id: true,
					ranking: true,
					bothBad: true,
					strength: true,
					criteria: true,
					flags: true,
					rationale: true,
					activeMs: true,
					displayOrder: true,
					revision: true,
					isGold: true,
					updatedAt: true,
					user: { select: { id: true, displayName: true } },
				},
				orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
			},
			adjudications: {
				select: {
					id: true,
					ranking: true,
					bothBad: true,
					strength: true,
					note: true,
					createdAt: true,
					reviewer: { select: { displayName: true } },
				},
				orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
			},
		},
	})
	if (!item) throw notFound('No such item in this project')
	const responseIds = item.responses.map((response) => response.key)
	const pairwise = project.taskType === 'pairwise'
	const judgments = item.judgments.map((judgment) => ({
		id: judgment.id,
		annotator: judgment.user.displayName,
		annotatorId: judgment.user.id,
		ranking: parseRanking(judgment.ranking),
		bothBad: judgment.bothBad,
		strength: judgment.strength,
		criteria: parseRatings(judgment.criteria),
		flags: parseResponseFlags(judgment.flags),
		rationale: judgment.rationale,
		activeMs: judgment.activeMs,
		displayOrder: judgment.displayOrder,
		revision: judgment.revision,
		updatedAt: judgment.updatedAt.toISOString(),
	}))
	const latest = item.adjudications[0]
	const adjudication = latest
		? { ranking: parseRanking(latest.ranking), bothBad: latest.bothBad, strength: latest.strength }
		: null
	const consensus = consensusFor({ responseIds, votes: judgments, adjudication })
	const annotatorConsensus = consensusFor({ responseIds, votes: judgments })
	const context = parseItemContext(item.context)
	const gold = parseGold(item.gold)
	const queue = await prisma.analyticsSnapshot.findUnique({
		where: { projectId_kind: { projectId: project.id, kind: 'review-queue' } },
		select: { data: true },
	})
	const next =
		(queue?.data as ReviewQueueSnapshot | undefined)?.items.find(
			(entry) => !entry.adjudicated && entry.itemId !== item.id,
		) ?? null
	return {
		project: {
			slug: project.slug,
			name: project.name,
			taskType: project.taskType,
			useStrength: project.useStrength,
			criteria: parseCriteria(project.criteria),
		},
		canAdjudicate: canReviewProject({ user, memberRoles: project.memberRoles }) && !item.isGold,
		item: {
			id: item.id,
			externalId: item.externalId,
			isGold: item.isGold,
			gold: gold?.ranking ? { ranking: gold.ranking } : null,
			context:
				'messages' in context
					? {
							kind: 'messages' as const,
							messages: context.messages.map((message) => ({
								role: message.role,
								html: renderMarkdown(message.content),
							})),
						}
					: { kind: 'prompt' as const, html: renderMarkdown(context.prompt) },
		},
		responses: item.responses.map((response, index) => ({
			id: response.key,
			label: pairwise ? 'ABCDEFGHI'[index]! : String(index + 1),
			model: response.model,
			...renderModelContent(response.content),
		})),
		judgments,
		adjudications: item.adjudications.map((entry) => ({
			id: entry.id,
			reviewer: entry.reviewer.displayName,
			ranking: parseRanking(entry.ranking),
			bothBad: entry.bothBad,
			strength: entry.strength,
			note: entry.note,
			createdAt: entry.createdAt.toISOString(),
		})),
		consensus,
		disagreement: annotatorConsensus.disagreement,
		nextItemId: next?.itemId ?? null,
	}
}
