import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { fieldErrorsFromZod, invalid } from '#app/utils/errors.ts'
import { DEFAULT_JUDGE_TEMPLATE } from './judge-template.ts'
import { JudgeTemplateInputSchema } from './judging.schema.ts'

type Db = Pick<typeof prisma, 'judgeTemplateVersion'>

/** The project's latest judge template; version 0 is the built-in default. */
export async function getCurrentJudgeTemplate({ projectId, db = prisma }: { projectId: string; db?: Db }) {
	const current = await db.judgeTemplateVersion.findFirst({
		where: { projectId },
		orderBy: { version: 'desc' },
		select: { version: true, content: true, createdAt: true, createdBy: { select: { displayName: true } } },
	})
	return current ?? { version: 0, content: DEFAULT_JUDGE_TEMPLATE, createdAt: null, createdBy: null }
}

/** The text of one version (0: the default), or null when the project has no such version. */
export async function getJudgeTemplateVersion({ projectId, version }: { projectId: string; version: number }) {
	if (version === 0) return DEFAULT_JUDGE_TEMPLATE
	const row = await prisma.judgeTemplateVersion.findUnique({
		where: { projectId_version: { projectId, version } },
		select: { content: true },
	})
	return row?.content ?? null
}

export async function listJudgeTemplateVersions({ projectId, limit = 50 }: { projectId: string; limit?: number }) {
	return prisma.judgeTemplateVersion.findMany({
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
 * Makes `content` the project's template: a new version unless it equals the latest (or, with no
 * versions yet, the default). Runs record the version they judged with, so versions are never edited.
 */
export async function recordJudgeTemplate({
	projectId,
	content,
	userId,
}: {
	projectId: string
	content: string
	userId: string
}) {
	const saved = await prisma.$transaction(async (tx) => {
		await tx.$queryRaw`SELECT 1 FROM projects WHERE id = ${projectId}::uuid FOR UPDATE`
		const current = await getCurrentJudgeTemplate({ projectId, db: tx })
		if (current.content.trim() === content.trim()) return { version: current.version, created: false }
		const version = current.version + 1
		await tx.judgeTemplateVersion.create({ data: { projectId, version, content, createdById: userId } })
		return { version, created: true }
	})
	if (saved.created)
		await recordAudit({
			actorId: userId,
			action: 'project.judge_template_updated',
			targetType: 'project',
			targetId: projectId,
			projectId,
			data: { version: saved.version, characters: content.length },
		})
	return saved
}

/** Saves the judge template from the project's Judge page (admins and engineers). */
export async function saveJudgeTemplate({ slug, user, input }: { slug: string; user: SessionUser; input: unknown }) {
	assertPermission(user, 'run:models')
	const project = await getProjectForUser({ slug, user, access: 'read' })
	const parsed = JudgeTemplateInputSchema.safeParse(input)
	if (!parsed.success) throw invalid('The judge template is invalid', fieldErrorsFromZod(parsed.error.issues))
	return recordJudgeTemplate({ projectId: project.id, content: parsed.data.content, userId: user.id })
}
