import { z } from 'zod'
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
	StoredRankingSchema,
} from '#app/modules/projects/json-columns.ts'
import { prisma } from '#app/utils/db.server.ts'
import { assertUuid, notFound } from '#app/utils/errors.ts'
import type { ReviewQueueSnapshot } from './analytics.types.ts'
import { assertCanReadAnalytics, canReviewProject } from './analytics-policies.ts'
import { consensusFor } from './consensus.ts'
import { readJudging } from './judging-settings.ts'

const VerdictSchema = z.object({
	ranking: StoredRankingSchema.optional(),
	confidence: z.number().nullish(),
	rationale: z.string().nullish(),
})

/**
 * Each AI judge's judgment of the item with the two calls behind it (its run's): what it chose in
 * each order, how sure it said it was and why. Reviewers only: annotators never see these.
 */
async function loadJudgeVerdicts({
	itemId,
	judgments,
}: {
	itemId: string
	judgments: {
		id: string
		ranking: unknown
		bothBad: boolean
		strength: number | null
		positionInconsistent: boolean
		judgeConfidence: number | null
		judgeRunId: string | null
		user: { id: string; displayName: string }
	}[]
}) {
	const runIds = judgments.flatMap((judgment) => (judgment.judgeRunId ? [judgment.judgeRunId] : []))
	const calls =
		runIds.length === 0
			? []
			: await prisma.judgeCall.findMany({
					where: { itemId, runId: { in: runIds } },
					select: { runId: true, order: true, displayOrder: true, state: true, verdict: true, error: true },
					orderBy: { order: 'asc' },
				})
	return judgments.map((judgment) => ({
		id: judgment.id,
		judge: judgment.user.displayName,
		judgeId: judgment.user.id,
		ranking: parseRanking(judgment.ranking),
		bothBad: judgment.bothBad,
		strength: judgment.strength,
		positionInconsistent: judgment.positionInconsistent,
		confidence: judgment.judgeConfidence,
		calls: calls
			.filter((call) => call.runId === judgment.judgeRunId)
			.map((call) => {
				const verdict = VerdictSchema.safeParse(call.verdict ?? {})
				return {
					order: call.order,
					displayOrder: call.displayOrder,
					state: call.state,
					ranking: verdict.success ? (verdict.data.ranking ?? null) : null,
					confidence: verdict.success ? (verdict.data.confidence ?? null) : null,
					rationale: verdict.success ? (verdict.data.rationale ?? null) : null,
					error: call.error,
				}
			}),
	}))
}

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
					source: true,
					positionInconsistent: true,
					judgeConfidence: true,
					judgeRunId: true,
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
	// People's judgments; AI judges' verdicts are listed apart and count only when the project says so.
	const includeModel = readJudging(project.judging).includeInAnalytics
	const judgments = item.judgments
		.filter((judgment) => judgment.source === 'human')
		.map((judgment) => ({
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
	const judges = await loadJudgeVerdicts({
		itemId: item.id,
		judgments: item.judgments.filter((judgment) => judgment.source === 'model'),
	})
	const votes = includeModel ? [...judgments, ...judges] : judgments
	const consensus = consensusFor({ responseIds, votes, adjudication })
	const annotatorConsensus = consensusFor({ responseIds, votes })
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
		judges,
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
