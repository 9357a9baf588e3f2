import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { assertUuid, conflict, fieldErrorsFromZod, invalid, notFound } from '#app/utils/errors.ts'
import { projectRules } from './assignment-project.ts'
import { assertMayAnnotate } from './assert-may-annotate.server.ts'
import { lockJudgmentQuery } from './assignments.queries.ts'
import { EditJudgmentSchema, validateJudgmentForProject } from './judgment.schema.ts'
import { serializeJudgment } from './serialize-assignment.ts'

/** An edit appends a revision; the judgment row always holds the latest one. */
export async function editJudgment({
	judgmentId,
	user,
	input,
	now = new Date(),
}: {
	judgmentId: string
	user: SessionUser
	input: unknown
	now?: Date
}) {
	const parsed = EditJudgmentSchema.safeParse(input)
	if (!parsed.success) throw invalid('The judgment is invalid', fieldErrorsFromZod(parsed.error.issues))
	const data = parsed.data
	assertUuid(judgmentId, 'judgment')
	return prisma.$transaction(async (tx) => {
		const [locked] = await tx.$queryRaw<{ id: string }[]>(lockJudgmentQuery({ judgmentId, userId: user.id }))
		if (!locked) throw notFound('No such judgment')
		const judgment = await tx.judgment.findUniqueOrThrow({ where: { id: judgmentId }, include: { project: true } })
		if (data.idempotencyKey) {
			const previous = await tx.judgmentRevision.findFirst({
				where: { judgmentId, idempotencyKey: data.idempotencyKey },
			})
			if (previous) return { judgment: serializeJudgment(judgment), replay: true }
		}
		await assertMayAnnotate({ projectId: judgment.projectId, user, db: tx })
		if (judgment.project.status !== 'active')
			throw conflict('Judgments can be edited only while the project is active', {
				reason: `project_${judgment.project.status}`,
			})
		const errors = validateJudgmentForProject({
			input: data,
			rules: projectRules(judgment.project),
			responseIds: judgment.displayOrder,
		})
		if (errors.length > 0) throw invalid('The judgment does not fit this project', errors)
		const latestGuideline = await tx.guidelineVersion.findFirst({
			where: { projectId: judgment.projectId },
			orderBy: { version: 'desc' },
			select: { version: true },
		})
		const values = {
			ranking: data.ranking,
			bothBad: data.bothBad,
			strength: data.strength ?? null,
			criteria: data.criteria ?? undefined,
			flags: data.flags ?? undefined,
			rationale: data.rationale?.trim() || null,
			activeMs: data.activeMs ?? judgment.activeMs,
			guidelineVersion: latestGuideline?.version ?? 0,
		}
		const revision = judgment.revision + 1
		await tx.judgmentRevision.create({
			data: {
				judgmentId,
				revision,
				userId: user.id,
				idempotencyKey: data.idempotencyKey ?? null,
				createdAt: now,
				...values,
			},
		})
		const updated = await tx.judgment.update({
			where: { id: judgmentId },
			data: { ...values, revision, updatedAt: now },
		})
		return { judgment: serializeJudgment(updated), replay: false }
	})
}
