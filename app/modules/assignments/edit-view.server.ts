import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { renderMarkdown, renderModelContent } from '#app/modules/content/render-markdown.server.ts'
import { parseItemContext, parseRanking, parseRatings, parseResponseFlags } from '#app/modules/projects/json-columns.ts'
import { judgedAsPair } from '#app/modules/projects/arena-settings.ts'
import { prisma } from '#app/utils/db.server.ts'
import { assertUuid, notFound } from '#app/utils/errors.ts'
import type { AssignmentView } from './workspace.server.ts'

/** A stored judgment shown the way its author saw the item, for revising it. */
export async function getJudgmentForEdit({ judgmentId, user }: { judgmentId: string; user: SessionUser }) {
	assertUuid(judgmentId, 'judgment')
	const judgment = await prisma.judgment.findFirst({
		where: { id: judgmentId, userId: user.id },
		include: {
			item: { include: { responses: true } },
			project: { select: { slug: true, status: true, taskType: true, showModelNames: true } },
		},
	})
	if (!judgment) throw notFound('No such judgment')
	const byKey = new Map(judgment.item.responses.map((r) => [r.key, r]))
	const pairwise = judgedAsPair(judgment.project.taskType)
	const context = parseItemContext(judgment.item.context)
	const view: AssignmentView = {
		leaseId: judgment.leaseId ?? judgment.id,
		expiresAt: new Date().toISOString(),
		item: {
			id: judgment.itemId,
			externalId: judgment.item.externalId,
			context:
				'messages' in context
					? {
							kind: 'messages',
							messages: context.messages.map((m) => ({ role: m.role, html: renderMarkdown(m.content) })),
						}
					: { kind: 'prompt', html: renderMarkdown(context.prompt) },
			responses: judgment.displayOrder.map((key, index) => {
				const response = byKey.get(key)!
				return {
					id: key,
					label: pairwise ? 'ABCDEFGHI'[index]! : String(index + 1),
					model: judgment.project.showModelNames && judgment.project.taskType !== 'comparison' ? response.model : null,
					text: pairwise ? response.content : '',
					...renderModelContent(response.content),
				}
			}),
		},
		draft: null,
	}
	return {
		view,
		projectSlug: judgment.project.slug,
		projectStatus: judgment.project.status,
		judgment: {
			id: judgment.id,
			revision: judgment.revision,
			ranking: parseRanking(judgment.ranking),
			bothBad: judgment.bothBad,
			strength: judgment.strength,
			criteria: parseRatings(judgment.criteria),
			flags: parseResponseFlags(judgment.flags),
			rationale: judgment.rationale ?? '',
			activeMs: judgment.activeMs ?? 0,
			createdAt: judgment.createdAt.toISOString(),
		},
	}
}
