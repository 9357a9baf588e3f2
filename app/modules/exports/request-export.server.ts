import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { assertPermission } from '#app/modules/auth/require.server.ts'
import { fieldErrorsFromZod, invalid } from '#app/utils/errors.ts'
import { getDatasetFormat } from '#exports/formats/index.ts'
import { checkOptionsForFormat } from '#exports/pipeline.ts'
import { ExportInputError } from '#exports/types.ts'
import { enqueueOrMarkFailed } from '#app/modules/jobs/enqueue.server.ts'
import { ExportRequestSchema, splitRequestOptions, type ExportRequest } from './export.schema.ts'
import { exportInclude, serializeExport } from './serialize-export.ts'

/** Validates `{format, options}` the way the worker will, so a bad request fails now with 422. */
export function parseExportRequest(input: unknown): ExportRequest {
	const parsed = ExportRequestSchema.safeParse(input)
	if (!parsed.success) throw invalid('The export request is invalid', fieldErrorsFromZod(parsed.error.issues))
	const format = getDatasetFormat({ name: parsed.data.format })
	try {
		checkOptionsForFormat({ format, options: splitRequestOptions(parsed.data.options).options })
	} catch (error) {
		if (error instanceof ExportInputError) {
			const [path, ...rest] = error.message.split(': ')
			throw invalid('The export options do not fit the format', [
				{ path: `options.${path}`, message: rest.join(': ') || error.message },
			])
		}
		throw error
	}
	return parsed.data
}

/** Creates the export and queues its build; the id is also the job id, so a resend is harmless. */
export async function requestExport({
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
	assertPermission(user, 'create:exports')
	const project = await getProjectForUser({ slug, user, access: 'read' })
	const request = parseExportRequest(input)
	const format = getDatasetFormat({ name: request.format })
	const created = await prisma.$transaction(async (tx) => {
		const row = await tx.export.create({
			data: {
				projectId: project.id,
				requestedById: user.id,
				format: format.name,
				formatVersion: format.version,
				options: request.options,
			},
			include: exportInclude,
		})
		await recordAudit(
			{
				actorId: user.id,
				action: 'export.requested',
				targetType: 'export',
				targetId: row.id,
				projectId: project.id,
				data: { format: format.name, options: request.options },
				ip,
			},
			tx,
		)
		return row
	})
	await enqueueOrMarkFailed({
		job: 'export.build',
		payload: { exportId: created.id },
		id: created.id,
		message: 'The export could not be queued; please try again.',
		markFailed: (error) =>
			prisma.export.update({ where: { id: created.id }, data: { status: 'failed', error, finishedAt: new Date() } }),
	})
	return serializeExport(created)
}
