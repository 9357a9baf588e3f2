import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError, ErrorCode, fieldErrorsFromZod, invalid } from '#app/utils/errors.ts'
import { getProjectForUser, type ProjectAccess } from './get-project.server.ts'
import { GuidelinesInputSchema } from './project.schema.ts'

/**
 * The project for anyone allowed to read its guidelines: admins and readers, and annotators of
 * the project, who must see the rules they judge by.
 */
export async function getProjectForGuidelines({ slug, user }: { slug: string; user: SessionUser }) {
	let lastError: unknown
	for (const access of ['read', 'annotate'] satisfies ProjectAccess[]) {
		try {
			return await getProjectForUser({ slug, user, access })
		} catch (error) {
			if (!(error instanceof AppError) || (error.code !== ErrorCode.Forbidden && error.code !== ErrorCode.NotFound))
				throw error
			lastError = error
		}
	}
	throw lastError
}

export async function getCurrentGuidelines({ projectId }: { projectId: string }) {
	const current = await prisma.guidelineVersion.findFirst({
		where: { projectId },
		orderBy: { version: 'desc' },
		select: { version: true, content: true, createdAt: true, createdBy: { select: { displayName: true } } },
	})
	return current ?? { version: 0, content: '', createdAt: null, createdBy: null }
}

export async function listGuidelineVersions({ projectId, limit = 50 }: { projectId: string; limit?: number }) {
	return prisma.guidelineVersion.findMany({
		where: { projectId },
		orderBy: { version: 'desc' },
		take: limit,
		select: {
			version: true,
			content: true,
			createdAt: true,
			createdBy: { select: { displayName: true, email: true } },
		},
	})
}

/**
 * Saves guidelines as a new version (admins only); judgments record the version they were made
 * under, so old versions are never edited. Saving the current text again adds nothing.
 */
export async function saveGuidelines({ slug, user, input }: { slug: string; user: SessionUser; input: unknown }) {
	const project = await getProjectForUser({ slug, user, access: 'manage' })
	const parsed = GuidelinesInputSchema.safeParse(input)
	if (!parsed.success) throw invalid('The guidelines are invalid', fieldErrorsFromZod(parsed.error.issues))
	const { content } = parsed.data
	const saved = await prisma.$transaction(async (tx) => {
		await tx.$queryRaw`SELECT 1 FROM projects WHERE id = ${project.id}::uuid FOR UPDATE`
		const current = await tx.guidelineVersion.findFirst({
			where: { projectId: project.id },
			orderBy: { version: 'desc' },
			select: { version: true, content: true },
		})
		if (current && current.content === content) return { version: current.version, created: false }
		const version = (current?.version ?? 0) + 1
		await tx.guidelineVersion.create({ data: { projectId: project.id, version, content, createdById: user.id } })
		return { version, created: true }
	})
	if (saved.created) {
		await recordAudit({
			actorId: user.id,
			action: 'project.guidelines_updated',
			targetType: 'project',
			targetId: project.id,
			projectId: project.id,
			data: { version: saved.version, characters: content.length },
		})
	}
	return saved
}
