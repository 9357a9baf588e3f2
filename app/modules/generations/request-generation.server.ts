import type { Prisma } from '#app/generated/prisma/client.ts'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { enqueueOrMarkFailed } from '#app/modules/jobs/enqueue.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { conflict, fieldErrorsFromZod, invalid, type FieldError } from '#app/utils/errors.ts'
import { GenerationRequestSchema } from './generation.schema.ts'
import { getGeneration } from './get-generation.server.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Creates a generation run and queues it (admins and engineers). Endpoints may be given by id or
 * by name; they are resolved to ids now, so the run does not change if an endpoint is renamed.
 */
export async function requestGeneration({
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
	const parsed = GenerationRequestSchema.safeParse(input)
	if (!parsed.success) throw invalid('The generation request is invalid', fieldErrorsFromZod(parsed.error.issues))
	const request = parsed.data

	const endpoints = await prisma.modelEndpoint.findMany({ select: { id: true, name: true } })
	const errors: FieldError[] = []
	const seen = new Set<string>()
	const resolved = request.endpoints.map((wanted, index) => {
		const match = endpoints.find(
			(endpoint) =>
				(UUID.test(wanted.id) && endpoint.id === wanted.id) || endpoint.name.toLowerCase() === wanted.id.toLowerCase(),
		)
		if (!match)
			errors.push({
				path: `endpoints[${index}].id`,
				message: `no endpoint "${wanted.id}" (known: ${endpoints.map((endpoint) => endpoint.name).join(', ') || 'none'})`,
			})
		else if (seen.has(match.id))
			errors.push({
				path: `endpoints[${index}].id`,
				message: `endpoint "${match.name}" is listed twice; raise its samples instead`,
			})
		else seen.add(match.id)
		return {
			id: match?.id ?? wanted.id,
			name: match?.name ?? wanted.id,
			samples: wanted.samples,
			params: wanted.params ?? {},
		}
	})
	if (errors.length > 0) throw invalid('The generation request is invalid', errors)

	const options = { endpoints: resolved, items: request.items ?? {}, system: request.system ?? null }
	const run = await prisma.$transaction(async (tx) => {
		const row = await tx.generationRun.create({
			data: { projectId: project.id, requestedById: user.id, options: options as unknown as Prisma.InputJsonValue },
			select: { id: true },
		})
		await recordAudit(
			{
				actorId: user.id,
				action: 'generation.requested',
				targetType: 'generation',
				targetId: row.id,
				projectId: project.id,
				data: options as unknown as Prisma.InputJsonValue,
				ip,
			},
			tx,
		)
		return row
	})
	await enqueueOrMarkFailed({
		job: 'generate.responses',
		payload: { runId: run.id },
		id: run.id,
		message: 'The run could not be queued; please try again.',
		markFailed: (error) =>
			prisma.generationRun.update({ where: { id: run.id }, data: { status: 'failed', error, finishedAt: new Date() } }),
	})
	return getGeneration({ id: run.id, user })
}
