import type { Prisma } from '#app/generated/prisma/client.ts'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { enqueueOrMarkFailed } from '#app/modules/jobs/enqueue.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { conflict, fieldErrorsFromZod, invalid } from '#app/utils/errors.ts'
import { getJudgeRun } from './get-judge-run.server.ts'
import { ensureJudgeUser } from './judge-user.server.ts'
import { getCurrentJudgeTemplate, recordJudgeTemplate } from './judge-templates.server.ts'
import { JudgeRunRequestSchema } from './judging.schema.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The endpoint given by id or by name, or a field error naming the known ones. */
export async function resolveEndpoint({ wanted, path }: { wanted: string; path: string }) {
	const endpoints = await prisma.modelEndpoint.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } })
	const match = endpoints.find(
		(endpoint) => (UUID.test(wanted) && endpoint.id === wanted) || endpoint.name.toLowerCase() === wanted.toLowerCase(),
	)
	if (!match)
		throw invalid('The judge run request is invalid', [
			{
				path,
				message: `no endpoint "${wanted}" (known: ${endpoints.map((endpoint) => endpoint.name).join(', ') || 'none'})`,
			},
		])
	return match
}

/**
 * Creates a judge run and queues it (admins and engineers). The endpoint's judge user is created
 * on first use; a template that differs from the project's latest is saved as its new version
 * first, so the run records exactly what it asked.
 */
export async function requestJudgeRun({
	slug,
	user,
	input,
	ip,
}: {
	slug: string
	user: SessionUser
	input: unknown
	ip?: string | null
}) {
	assertPermission(user, 'run:models')
	const project = await getProjectForUser({ slug, user, access: 'read' })
	if (project.status === 'archived') throw conflict(`"${project.name}" is archived`, { reason: 'project_archived' })
	if (project.taskType !== 'pairwise' && project.taskType !== 'ranking')
		throw conflict(
			`AI judge runs are for pairwise and ranking projects; "${project.name}" is a ${project.taskType} project`,
			{
				reason: 'task_type',
			},
		)
	const parsed = JudgeRunRequestSchema.safeParse(input)
	if (!parsed.success) throw invalid('The judge run request is invalid', fieldErrorsFromZod(parsed.error.issues))
	const request = parsed.data
	const endpoint = await resolveEndpoint({ wanted: request.endpointId, path: 'endpointId' })

	const templateVersion = request.template
		? (await recordJudgeTemplate({ projectId: project.id, content: request.template, userId: user.id })).version
		: (await getCurrentJudgeTemplate({ projectId: project.id })).version
	const judge = await ensureJudgeUser({ endpointId: endpoint.id, name: endpoint.name })
	const options = { endpoint: endpoint.name, items: request.items ?? {} }

	const run = await prisma.$transaction(async (tx) => {
		// One run per judge and project at a time: two would ask every item twice and overwrite each
		// other's judgments. The project row lock makes the check and the insert one step.
		await tx.$queryRaw`SELECT 1 FROM projects WHERE id = ${project.id}::uuid FOR UPDATE`
		const busy = await tx.judgeRun.findFirst({
			where: { projectId: project.id, endpointId: endpoint.id, status: { in: ['queued', 'running'] } },
			select: { id: true },
		})
		if (busy)
			throw conflict(`A run of the judge "${endpoint.name}" on this project is already queued or running`, {
				reason: 'judge_run_active',
				runId: busy.id,
			})
		const row = await tx.judgeRun.create({
			data: {
				projectId: project.id,
				endpointId: endpoint.id,
				judgeUserId: judge.id,
				requestedById: user.id,
				templateVersion,
				options: options as unknown as Prisma.InputJsonValue,
			},
			select: { id: true },
		})
		await recordAudit(
			{
				actorId: user.id,
				action: 'judge_run.requested',
				targetType: 'judge_run',
				targetId: row.id,
				projectId: project.id,
				data: { ...options, endpointId: endpoint.id, templateVersion } as unknown as Prisma.InputJsonValue,
				ip,
			},
			tx,
		)
		return row
	})
	await enqueueOrMarkFailed({
		job: 'judge.run',
		payload: { runId: run.id },
		id: run.id,
		message: 'The run could not be queued; please try again.',
		markFailed: (error) =>
			prisma.judgeRun.update({ where: { id: run.id }, data: { status: 'failed', error, finishedAt: new Date() } }),
	})
	return getJudgeRun({ id: run.id, user })
}
