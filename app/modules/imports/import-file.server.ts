import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import {
	generationSettings,
	responsesNeeded as itemResponsesNeeded,
} from '#app/modules/generations/generation.schema.ts'
import { upsertItemBatch } from '#app/modules/items/upsert-items.server.ts'
import { projectSelfIdPattern } from '#app/modules/projects/arena-settings.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { pgTransaction, prisma } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { AppError, ErrorCode, conflict, forbidden } from '#app/utils/errors.ts'
import { hasPermission } from '#app/utils/permissions.ts'
import { MAX_REPORTED_ERRORS } from './import-file.schema.ts'
import { parseImport } from './parse/parse-import.ts'
import type { CanonicalItem, ImportError, ImportFormat } from './parse/types.ts'

export type ImportReport = {
	importId: string
	format: ImportFormat
	/** True when nothing was written: atomic mode with bad lines, or a problem with the whole file. */
	refused: boolean
	imported: number
	updated: number
	unchanged: number
	/** The first MAX_REPORTED_ERRORS errors, in file order. */
	errors: ImportError[]
	/** Every error, including those past the listed ones. */
	errorCount: number
	/** Lines with at least one error. */
	invalidLines: number
}

const BATCH_SIZE = 1000

class RollBack extends Error {}

function importTooLarge(detail: string, extra: Record<string, number>) {
	return new AppError(ErrorCode.PayloadTooLarge, `${detail} Nothing was imported.`, { extra })
}

/**
 * The request body as bytes, read as it arrives and counted against `maxBytes`; an interrupted
 * upload becomes a 400, not a 500.
 */
export async function* requestBodySource(
	request: Request,
	maxBytes = getEnv().MAX_IMPORT_BYTES,
): AsyncGenerator<Uint8Array> {
	if (!request.body) return
	const tooLarge = () =>
		importTooLarge(
			`The file is larger than the import limit of ${maxBytes.toLocaleString('en-US')} bytes (MAX_IMPORT_BYTES).`,
			{ maxBytes },
		)
	if (Number(request.headers.get('Content-Length')) > maxBytes) throw tooLarge()
	let received = 0
	try {
		for await (const chunk of Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>)) {
			received += (chunk as Uint8Array).byteLength
			if (received > maxBytes) break
			yield chunk as Uint8Array
		}
	} catch (error) {
		throw new AppError(
			ErrorCode.BadRequest,
			`The upload was interrupted: ${error instanceof Error ? error.message : String(error)}`,
		)
	}
	if (received > maxBytes) throw tooLarge()
}

/** Parquet needs random access, so an upload is spooled to a temporary file first; memory stays flat. */
async function withParquetFile<T>(source: AsyncIterable<Uint8Array> | string, run: (file: string) => Promise<T>) {
	if (typeof source === 'string') return run(source)
	const dir = await mkdtemp(path.join(tmpdir(), 'quorum-import-'))
	try {
		const file = path.join(dir, `${randomUUID()}.parquet`)
		await pipeline(Readable.from(source), createWriteStream(file))
		return await run(file)
	} finally {
		await rm(dir, { recursive: true, force: true })
	}
}

/**
 * Imports a JSONL, CSV or Parquet file into a project (admins only), streaming it in one pass and
 * one transaction. Every line is validated. By default the import is atomic: one bad line and the
 * transaction rolls back, while the rest of the file is still read (without writing) so that the
 * report names every bad line. With `skipInvalid` the good lines are kept. See
 * docs/decisions/0006-atomic-imports.md.
 */
export async function importFile({
	slug,
	user,
	format,
	source,
	filename = null,
	skipInvalid = false,
	maxRows = getEnv().MAX_IMPORT_ROWS,
}: {
	slug: string
	user: SessionUser
	format: ImportFormat
	/** The file's bytes as they arrive, or a path to it. */
	source: AsyncIterable<Uint8Array> | string
	filename?: string | null
	skipInvalid?: boolean
	maxRows?: number
}): Promise<ImportReport> {
	if (!hasPermission(user, 'import:items')) throw forbidden('Only admins can import items')
	const project = await getProjectForUser({ slug, user, access: 'manage' })
	if (project.status === 'archived')
		throw conflict(`"${project.name}" is archived and takes no new items`, { reason: 'project_archived' })
	const responsesNeeded = itemResponsesNeeded({
		taskType: project.taskType,
		settings: generationSettings(project.generation),
	})
	const selfIdPattern = projectSelfIdPattern(project)

	const report: Omit<ImportReport, 'importId'> = {
		format,
		refused: false,
		imported: 0,
		updated: 0,
		unchanged: 0,
		errors: [],
		errorCount: 0,
		invalidLines: 0,
	}
	let fileError = false
	const addErrors = (errors: ImportError[]) => {
		report.invalidLines++
		for (const error of errors) {
			if (error.line === 0) fileError = true
			report.errorCount++
			if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(error)
		}
	}
	const doomed = () => fileError || (!skipInvalid && report.errorCount > 0)

	const run = (lines: ReturnType<typeof parseImport>) =>
		pgTransaction(async (tx) => {
			// Imports into one project run one at a time, so two uploads of the same ids cannot collide.
			await tx.query({
				text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
				values: [`quorum.import:${project.id}`],
			})
			let batch: { line: number; item: CanonicalItem }[] = []
			const flush = async () => {
				if (batch.length === 0) return
				const result = await upsertItemBatch({
					tx,
					projectId: project.id,
					items: batch,
					write: !doomed(),
					responsesNeeded,
					selfIdPattern,
				})
				batch = []
				report.imported += result.imported
				report.updated += result.updated
				report.unchanged += result.unchanged
				const byLine = new Map<number, ImportError[]>()
				for (const error of result.errors) byLine.set(error.line, [...(byLine.get(error.line) ?? []), error])
				for (const errors of byLine.values()) addErrors(errors)
			}
			let rows = 0
			for await (const parsed of lines) {
				if (++rows > maxRows) {
					throw importTooLarge(
						`The file has more than the import limit of ${maxRows.toLocaleString('en-US')} rows (MAX_IMPORT_ROWS).`,
						{ maxRows },
					)
				}
				if ('errors' in parsed) addErrors(parsed.errors)
				else batch.push(parsed)
				if (batch.length >= BATCH_SIZE) await flush()
			}
			await flush()
			if (doomed()) throw new RollBack()
			const counts = {
				imported: report.imported,
				updated: report.updated,
				unchanged: report.unchanged,
				errorCount: report.errorCount,
			}
			const {
				rows: [row],
			} = await tx.query<{ id: string }>({
				text: `INSERT INTO imports (project_id, user_id, format, filename, imported, updated, unchanged, error_count)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text`,
				values: [
					project.id,
					user.id,
					format,
					filename,
					counts.imported,
					counts.updated,
					counts.unchanged,
					counts.errorCount,
				],
			})
			await recordAudit(
				{
					actorId: user.id,
					action: 'import.completed',
					targetType: 'import',
					targetId: row!.id,
					projectId: project.id,
					data: { format, filename, ...counts },
				},
				tx,
			)
			return row!
		})

	const options = { taskType: project.taskType } as const
	let row: { id: string } | null
	try {
		row =
			format === 'parquet'
				? await withParquetFile(source, (file) => run(parseImport({ ...options, format, source: file })))
				: await run(
						parseImport({ ...options, format, source: typeof source === 'string' ? createReadStream(source) : source }),
					)
	} catch (error) {
		if (!(error instanceof RollBack)) throw error
		row = null
	}

	if (row) return { importId: row.id, ...report }

	const refused = { ...report, refused: true, imported: 0, updated: 0, unchanged: 0 }
	const record = await prisma.import.create({
		data: { projectId: project.id, userId: user.id, format, filename, errorCount: report.errorCount },
		select: { id: true },
	})
	await recordAudit({
		actorId: user.id,
		action: 'import.refused',
		targetType: 'import',
		targetId: record.id,
		projectId: project.id,
		data: { format, filename, errorCount: report.errorCount, invalidLines: report.invalidLines },
	})
	return { importId: record.id, ...refused }
}
