import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError } from '#app/utils/errors.ts'

export function encodeCursor(value: { createdAt: Date; id: string }) {
	return Buffer.from(`${value.createdAt.toISOString()}|${value.id}`).toString('base64url')
}

export function decodeCursor(cursor: string | null | undefined) {
	if (!cursor) return null
	const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
	const createdAt = new Date(iso ?? '')
	if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
		throw new AppError('INVALID', 'cursor is not valid; pass back the nextCursor of a previous page', {
			fieldErrors: [{ path: 'cursor', message: 'invalid cursor' }],
		})
	}
	return { createdAt, id }
}

const judgmentFields = {
	id: true,
	itemId: true,
	projectId: true,
	displayOrder: true,
	ranking: true,
	bothBad: true,
	strength: true,
	criteria: true,
	flags: true,
	rationale: true,
	activeMs: true,
	guidelineVersion: true,
	revision: true,
	createdAt: true,
	updatedAt: true,
} as const

/** An annotator's own judgments, newest first. Which of them were gold checks stays unsaid. */
export async function listMyJudgments({
	user,
	projectSlug,
	cursor,
	limit = 50,
}: {
	user: SessionUser
	projectSlug?: string
	cursor?: string | null
	limit?: number
}) {
	const after = decodeCursor(cursor)
	const rows = await prisma.judgment.findMany({
		where: {
			userId: user.id,
			...(projectSlug ? { project: { slug: projectSlug } } : {}),
			...(after
				? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
				: {}),
		},
		select: {
			...judgmentFields,
			item: { select: { externalId: true, context: true } },
			project: { select: { slug: true, name: true, status: true } },
		},
		orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
		take: limit + 1,
	})
	const page = rows.slice(0, limit)
	return { judgments: page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null }
}

/**
 * Every judgment of a project with its latest revision, for admins, reviewers and engineers:
 * people's by default, AI judges' (`annotators: "ai"`) or both (`"all"`) when asked, each with its
 * `source`, as exports choose.
 */
export async function listProjectJudgments({
	slug,
	user,
	cursor,
	limit = 100,
	annotators = 'human',
}: {
	slug: string
	user: SessionUser
	cursor?: string | null
	limit?: number
	annotators?: 'human' | 'ai' | 'all'
}) {
	const project = await getProjectForUser({ slug, user, access: 'read' })
	const after = decodeCursor(cursor)
	const rows = await prisma.judgment.findMany({
		where: {
			projectId: project.id,
			...(annotators === 'all' ? {} : { source: annotators === 'ai' ? ('model' as const) : ('human' as const) }),
			...(after
				? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
				: {}),
		},
		select: { ...judgmentFields, isGold: true, userId: true, source: true, item: { select: { externalId: true } } },
		orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
		take: limit + 1,
	})
	const page = rows.slice(0, limit)
	return { judgments: page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null }
}
