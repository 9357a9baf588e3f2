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
import { comparisonPairKey, rankingCoversPair, splitComparisonItem } from './comparison-units.ts'
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
export async function getReviewItem({
	slug,
	itemId,
	user,
	pair: requestedPair,
}: {
	slug: string
	itemId: string
	user: SessionUser
	/** Comparison projects: the pair (two keys) whose consensus and decision the page shows. */
	pair?: string[] | null
}) {
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
	// A judge's verdict on a comparison item is not tied to one pair, so pairs are reviewed from people's judgments.
	const comparison = project.taskType === 'comparison' ? comparisonReview({ item, judgments, requestedPair }) : null
	const consensus = comparison?.selected?.consensus ?? consensusFor({ responseIds, votes, adjudication })
	const annotatorConsensus = comparison?.selected ?? consensusFor({ responseIds, votes })
	const context = parseItemContext(item.context)
	const gold = parseGold(item.gold)
	const queue = await prisma.analyticsSnapshot.findUnique({
		where: { projectId_kind: { projectId: project.id, kind: 'review-queue' } },
		select: { data: true },
	})
	const next =
		(queue?.data as ReviewQueueSnapshot | undefined)?.items.find(
			(entry) =>
				!entry.adjudicated &&
				(entry.itemId !== item.id ||
					(!!entry.pair && !!comparison?.selected && comparisonPairKey(entry.pair) !== comparison.selected.key)),
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
		judgments: judgments.map((judgment) => ({ ...judgment, pair: comparison?.pairOf.get(judgment.id) ?? null })),
		judges,
		/** Comparison projects: each judged pair with its consensus; `pair` is the one the decision is about. */
		pairs: comparison?.pairs ?? null,
		pair: comparison?.selected?.pair ?? null,
		decisionResponses: comparison
			? (comparison.selected?.pair ?? []).map((key) => ({ id: key, label: String(responseIds.indexOf(key) + 1) }))
			: null,
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
		nextPair: next?.pair ?? null,
	}
}

/**
 * A comparison item's judgments by the pair each saw (ADR 0024): every pair's consensus (its own
 * latest adjudication wins) and disagreement, and the pair the page decides on: the one asked
 * for, else the most disputed.
 */
function comparisonReview({
	item,
	judgments,
	requestedPair,
}: {
	item: {
		responses: { key: string }[]
		adjudications: { ranking: unknown; bothBad: boolean; strength: number | null }[]
	}
	judgments: { id: string; displayOrder: string[]; ranking: string[][]; bothBad: boolean; strength: number | null }[]
	requestedPair: string[] | null | undefined
}) {
	const { units } = splitComparisonItem({ responses: item.responses, judgments })
	const pairOf = new Map<string, [string, string]>()
	const pairs = units.map((unit) => {
		for (const judgment of unit.judgments) pairOf.set(judgment.id, unit.pair)
		const latest = item.adjudications.find((entry) => rankingCoversPair(parseRanking(entry.ranking), unit.pair))
		const own = consensusFor({ responseIds: unit.pair, votes: unit.judgments })
		const consensus = latest
			? consensusFor({
					responseIds: unit.pair,
					votes: unit.judgments,
					adjudication: { ranking: parseRanking(latest.ranking), bothBad: latest.bothBad, strength: latest.strength },
				})
			: own
		return {
			pair: unit.pair,
			key: comparisonPairKey(unit.pair),
			votes: unit.judgments.length,
			disagreement: own.disagreement,
			consensus,
		}
	})
	const wanted =
		requestedPair?.length === 2
			? comparisonPairKey(
					[...requestedPair].sort(
						(a, b) => item.responses.findIndex((r) => r.key === a) - item.responses.findIndex((r) => r.key === b),
					),
				)
			: null
	const selected =
		pairs.find((entry) => entry.key === wanted) ??
		[...pairs].sort((x, y) => y.disagreement - x.disagreement || y.votes - x.votes)[0] ??
		null
	return {
		pairOf,
		pairs: pairs.map(({ key: _key, ...entry }) => entry),
		selected,
	}
}
