import { validateJudgmentForProject } from '#app/modules/assignments/judgment.schema.ts'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { parseRanking } from '#app/modules/projects/json-columns.ts'
import { prisma } from '#app/utils/db.server.ts'
import { assertUuid, conflict, fieldErrorsFromZod, invalid, notFound } from '#app/utils/errors.ts'
import { AdjudicationInputSchema } from './adjudication.schema.ts'
import { comparisonPairOf, rankingCoversPair } from './comparison-units.ts'
import { consensusFor } from './consensus.ts'
import { readJudging } from './judging-settings.ts'
import { refreshReviewQueueItem } from './refresh-review-queue-item.server.ts'

/**
 * A reviewer's decision on an item: it becomes the item's consensus (the latest adjudication
 * wins), is audited as item.adjudicated, and updates the item's entry in the review queue.
 * The decision must rank every response of the item once, with a strength where the project
 * uses strength, exactly as a judgment would.
 */
export async function adjudicateItem({
	itemId,
	user,
	input,
	ip,
	now = new Date(),
}: {
	itemId: string
	user: SessionUser
	input: unknown
	ip?: string | null
	now?: Date
}) {
	assertUuid(itemId, 'item')
	const item = await prisma.item.findUnique({
		where: { id: itemId },
		select: {
			id: true,
			projectId: true,
			externalId: true,
			isGold: true,
			project: { select: { slug: true, judging: true } },
			responses: { select: { key: true }, orderBy: { position: 'asc' } },
		},
	})
	if (!item) throw notFound('No such item')
	const project = await getProjectForUser({ slug: item.project.slug, user, access: 'review' })
	if (item.isGold) throw conflict('Gold items have a known answer and are not adjudicated', { reason: 'gold_item' })

	const parsed = AdjudicationInputSchema.safeParse(input)
	if (!parsed.success) throw invalid('The adjudication is invalid', fieldErrorsFromZod(parsed.error.issues))
	const comparison = project.taskType === 'comparison'
	const itemKeys = item.responses.map((response) => response.key)
	// A comparison item is decided a pair at a time (ADR 0024): the decision ranks the two keys of one pair.
	const pair = comparison
		? comparisonPairOf({
				displayOrder: parsed.data.ranking.flat(),
				positions: new Map(itemKeys.map((key, i) => [key, i])),
			})
		: null
	if (comparison && !pair)
		throw invalid('The decision does not fit this item', [
			{ path: 'ranking', message: 'ranking must rank exactly two of the item’s responses: the pair decided' },
		])
	const responseIds = pair ?? itemKeys
	const tie = parsed.data.ranking.length === 1
	const decision = {
		ranking: parsed.data.ranking,
		bothBad: parsed.data.bothBad,
		strength: tie ? null : (parsed.data.strength ?? null),
	}
	const errors = validateJudgmentForProject({
		input: { ...decision, criteria: null, flags: null, rationale: null, activeMs: null },
		rules: {
			taskType: comparison ? 'pairwise' : project.taskType,
			useStrength: (project.taskType === 'pairwise' || comparison) && project.useStrength,
			rationale: 'optional',
			criteria: [],
			flags: [],
		},
		responseIds,
	})
	if (errors.length > 0) throw invalid('The decision does not fit this item', errors)

	return prisma.$transaction(async (tx) => {
		// Serializes adjudications of one item, so the queue counts see each one once.
		await tx.$queryRaw`SELECT id FROM items WHERE id = ${itemId}::uuid FOR UPDATE`
		const earlier = await tx.adjudication.findMany({
			where: { itemId },
			orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
			select: { id: true, ranking: true },
		})
		const previous = pair ? earlier.find((entry) => rankingCoversPair(parseRanking(entry.ranking), pair)) : earlier[0]
		const adjudication = await tx.adjudication.create({
			data: { itemId, reviewerId: user.id, ...decision, note: parsed.data.note, createdAt: now },
		})
		await recordAudit(
			{
				actorId: user.id,
				action: 'item.adjudicated',
				targetType: 'item',
				targetId: itemId,
				projectId: item.projectId,
				data: {
					adjudicationId: adjudication.id,
					externalId: item.externalId,
					...decision,
					note: parsed.data.note,
					replaces: previous?.id ?? null,
				},
				ip,
			},
			tx,
		)
		await refreshReviewQueueItem({
			tx,
			projectId: item.projectId,
			itemId,
			previouslyAdjudicated: !!previous,
			now,
			...(pair ? { pair } : {}),
		})
		const judgments = await tx.judgment.findMany({
			where: { itemId, ...(readJudging(item.project.judging).includeInAnalytics ? {} : { source: 'human' }) },
			select: { ranking: true, bothBad: true, strength: true, displayOrder: true },
		})
		const votes = judgments.map((judgment) => ({ ...judgment, ranking: parseRanking(judgment.ranking) }))
		const consensus = consensusFor({
			responseIds,
			votes: pair
				? votes.filter((vote) => vote.displayOrder.length === 2 && pair.every((key) => vote.displayOrder.includes(key)))
				: votes,
			adjudication: decision,
		})
		return {
			adjudication: {
				id: adjudication.id,
				itemId,
				reviewerId: user.id,
				ranking: decision.ranking,
				bothBad: decision.bothBad,
				strength: decision.strength,
				note: adjudication.note,
				createdAt: adjudication.createdAt.toISOString(),
			},
			consensus,
		}
	})
}
