import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { ExportStatus } from '#app/generated/prisma/enums.ts'
import { sql } from '#app/utils/db.server.ts'
import { exportDir } from '#app/utils/env.server.ts'
import { createLogger, type Logger } from '#app/utils/logger.server.ts'
import { QUORUM_VERSION } from '#app/utils/version.ts'
import type { DatasetCardStats } from '#exports/dataset-card.ts'
import { getDatasetFormat } from '#exports/formats/index.ts'
import { ExportInputError } from '#exports/types.ts'
import { removeStaleTempDirs, writeDataset } from '#exports/write-dataset.ts'
import { ExportRequestOptionsSchema, splitRequestOptions } from './export.schema.ts'
import { tryLockExport } from './export-lock.server.ts'
import { openExportSource, type ExportSource, type ExportSourceProgress } from './export-source.server.ts'

/** The user cancelled the export; what was written is gone and the job is done. */
export class ExportCancelledError extends Error {
	override name = 'ExportCancelledError'
}

/** The worker is shutting down: the export goes back to the queue for another attempt. */
export class ExportHandedBackError extends Error {
	override name = 'ExportHandedBackError'
}

/** Another live worker holds this export's lock (a backstop retry overlapping a slow run). */
export class ExportBusyError extends Error {
	override name = 'ExportBusyError'
}

export type BuildExportHooks = {
	/** Instrumentation for tests: runs after each source batch, before progress is recorded. */
	afterBatch?: (args: {
		exportId: string
		progress: ExportSourceProgress
		tempDirs: () => Promise<string[]>
		signal?: AbortSignal
	}) => Promise<void>
}

/**
 * Progress (and so a cancel) is exchanged with the database at most this often: a round trip per
 * batch would stall the export a millisecond each time, a second and more per million judgments.
 */
const PROGRESS_INTERVAL_MS = 200

/** Hashing the files and recording the result come after the last record: 100% means done. */
const RUNNING_MAX_PROGRESS = 0.99

/**
 * Moves an export that is still in one of `from` to `status` with the given columns; the number of
 * rows changed (0 when a cancel got there first). The worker keeps its bookkeeping on the plain
 * pool: an export never loads the ORM's engine into the worker's memory.
 */
async function moveExport(exportId: string, from: ExportStatus[], set: Record<string, unknown>) {
	const columns = Object.keys(set)
	const rows = await sql<{ id: string }>({
		text: `UPDATE exports SET ${columns.map((column, index) => `${column} = $${index + 3}`).join(', ')}
			WHERE id = $1::uuid AND status::text = ANY($2::text[]) RETURNING id::text`,
		values: [exportId, from, ...columns.map((column) => set[column])],
	})
	return rows.length
}

/** Unknown until the source has counted its records, a moment after the first batch. */
function progressOf({ recordsRead, recordsTotal }: ExportSourceProgress) {
	if (recordsTotal === null) return 0
	return recordsTotal === 0 ? RUNNING_MAX_PROGRESS : Math.min(RUNNING_MAX_PROGRESS, recordsRead / recordsTotal)
}

/**
 * Puts a running export back in the queue for another attempt, its progress reset; `error` says
 * why when the user should know. Also used by the worker for an export whose builder died.
 */
export async function requeueExport({ exportId, error }: { exportId: string; error?: string }) {
	return moveExport(exportId, ['running'], {
		status: 'queued',
		progress: 0,
		rows_written: 0,
		...(error === undefined ? {} : { error }),
	})
}

export type BuildExportResult = {
	status: Exclude<ExportStatus, 'queued' | 'running'> | 'skipped'
	rows?: number
	reason?: string
}

async function exists(target: string) {
	return stat(target).then(
		() => true,
		() => false,
	)
}

async function listTempDirs(outDir: string) {
	const prefix = `${path.basename(outDir)}.tmp-`
	const names = await readdir(path.dirname(outDir)).catch(() => [] as string[])
	return names.filter((name) => name.startsWith(prefix)).map((name) => path.join(path.dirname(outDir), name))
}

/**
 * Builds one export: takes its lock, streams the snapshot through the format into a temporary
 * folder renamed into place when complete, and records progress, files and counts on the row.
 * Safe to run again after a crash at any point: leftovers are removed and the build starts over.
 */
export async function buildExport({
	exportId,
	signal,
	isLastAttempt = true,
	log = createLogger({ component: 'export', exportId }),
	batchItems,
	hooks = {},
}: {
	exportId: string
	signal?: AbortSignal
	/** A transient failure on the last attempt marks the export failed; before that it waits for the retry. */
	isLastAttempt?: boolean
	log?: Logger
	batchItems?: number
	hooks?: BuildExportHooks
}): Promise<BuildExportResult> {
	const lock = await tryLockExport({ exportId })
	if (!lock) throw new ExportBusyError(`Export ${exportId} is being built by another worker`)
	try {
		return await buildLocked({ exportId, signal, isLastAttempt, log, batchItems, hooks })
	} finally {
		await lock.release()
	}
}

async function buildLocked({
	exportId,
	signal,
	isLastAttempt,
	log,
	batchItems,
	hooks,
}: {
	exportId: string
	signal?: AbortSignal
	isLastAttempt: boolean
	log: Logger
	batchItems?: number
	hooks: BuildExportHooks
}): Promise<BuildExportResult> {
	const [record] = await sql<{
		status: ExportStatus
		format: string
		options: unknown
		startedAt: Date | null
		project: { id: string; slug: string; name: string }
	}>({
		text: `SELECT e.status::text, e.format, e.options, e.started_at AS "startedAt", json_build_object('id', p.id, 'slug', p.slug, 'name', p.name) AS project
			FROM exports e JOIN projects p ON p.id = e.project_id WHERE e.id = $1::uuid`,
		values: [exportId],
	})
	if (!record) return { status: 'skipped', reason: 'missing' }
	if (record.status !== 'queued' && record.status !== 'running') return { status: 'skipped', reason: record.status }

	const outDir = path.resolve(exportDir(), exportId)
	const removed = await removeStaleTempDirs({ outDir })
	if (removed > 0) log.info('removed temporary folders left by an interrupted attempt', { removed })
	// A folder without a recorded success is from an attempt that died between the rename and the
	// final update: rebuild rather than trust it.
	if (await exists(outDir)) await rm(outDir, { recursive: true, force: true })

	const started = await moveExport(exportId, ['queued', 'running'], {
		status: 'running',
		started_at: record.startedAt ?? new Date(),
		progress: 0,
		rows_written: 0,
		error: null,
	})
	if (started === 0) return { status: 'skipped', reason: 'cancelled' }

	let format
	let request
	try {
		format = getDatasetFormat({ name: record.format })
		request = splitRequestOptions(ExportRequestOptionsSchema.parse(record.options))
	} catch (error) {
		return fail({
			exportId,
			message: `The stored export request is invalid: ${error instanceof Error ? error.message : String(error)}`,
		})
	}

	let rowsWritten = 0
	let progressRecordedAt = -Infinity
	let source: ExportSource | undefined
	try {
		source = await openExportSource({
			projectId: record.project.id,
			options: request.options,
			details: format.readsDetails,
			reliability: format.readsReliability ?? false,
			minGoldAccuracy: request.minGoldAccuracy,
			batchItems,
			afterBatch: async (progress) => {
				await hooks.afterBatch?.({ exportId, progress, tempDirs: () => listTempDirs(outDir), signal })
				if (signal?.aborted) throw new ExportHandedBackError('The worker is shutting down')
				if (performance.now() - progressRecordedAt < PROGRESS_INTERVAL_MS) return
				progressRecordedAt = performance.now()
				// One round trip records progress and reads the status, which is how a cancel arrives.
				const [row] = await sql<{ status: ExportStatus }>({
					name: 'quorum_export_progress',
					text: 'UPDATE exports SET progress = $2, rows_written = $3 WHERE id = $1::uuid RETURNING status::text',
					values: [exportId, progressOf(progress), rowsWritten],
				})
				if (!row || row.status === 'cancelled') throw new ExportCancelledError('The export was cancelled')
			},
		})

		const opened = source
		const stats: DatasetCardStats = {
			title: `${record.project.name}: ${format.title}`,
			description: [
				`Human preference data from the Quorum project **${record.project.name}** (\`${record.project.slug}\`). Annotators appear under stable pseudonyms, never by name or email.`,
				request.minGoldAccuracy === undefined
					? null
					: `Annotators whose accuracy on gold items is below ${request.minGoldAccuracy} were excluded (${opened.goldAccuracy.filter((entry) => entry.accuracy < request.minGoldAccuracy!).length} of ${opened.goldAccuracy.length} with gold judgments); \`excludeAnnotators\` in the manifest lists everyone left out.`,
			]
				.filter(Boolean)
				.join('\n\n'),
		}
		const consensus = request.options.aggregation !== 'per-judgment'
		async function* records() {
			yield* opened.records
			// The source knows these only once it has read everything, which is before the card is written.
			if (consensus) stats.annotators = opened.summary.annotators
			stats.agreement = opened.summary.agreement
		}

		const manifest = await writeDataset({
			source: records(),
			format,
			options: { ...request.options, excludeAnnotators: opened.excludeAnnotators },
			exportId,
			outDir,
			snapshotAt: opened.snapshotAt,
			quorumVersion: QUORUM_VERSION,
			stats,
			// Only records the count in memory; the row is updated once per batch.
			progressEvery: 1,
			onProgress: (written) => {
				rowsWritten = written
			},
		})
		const rows = manifest.counts.train + manifest.counts.test
		const finished = await moveExport(exportId, ['running'], {
			status: 'succeeded',
			progress: 1,
			rows_written: rows,
			rows_total: rows,
			format_version: manifest.formatVersion,
			counts: JSON.stringify(manifest.counts),
			files: JSON.stringify(manifest.files),
			manifest: JSON.stringify(manifest),
			path: exportId,
			finished_at: new Date(),
			error: null,
		})
		if (finished === 0) {
			// Cancelled after the last batch: the user asked for nothing, so nothing stays.
			await rm(outDir, { recursive: true, force: true })
			return { status: 'cancelled' }
		}
		log.info('export succeeded', { rows, format: format.name })
		return { status: 'succeeded', rows }
	} catch (error) {
		if (error instanceof ExportCancelledError) {
			log.info('export cancelled')
			return { status: 'cancelled' }
		}
		if (error instanceof ExportHandedBackError) {
			await requeueExport({ exportId })
			throw error
		}
		if (error instanceof ExportInputError) return fail({ exportId, message: error.message })
		const message = error instanceof Error ? error.message : String(error)
		if (isLastAttempt) {
			log.error('export failed', { error: message })
			return fail({ exportId, message: `The export failed: ${message}` })
		}
		log.warn('export attempt failed; it will be retried', { error: message })
		await requeueExport({ exportId, error: `An attempt failed and will be retried: ${message}` })
		throw error
	} finally {
		await source?.close()
	}
}

async function fail({ exportId, message }: { exportId: string; message: string }): Promise<BuildExportResult> {
	await moveExport(exportId, ['queued', 'running'], { status: 'failed', error: message, finished_at: new Date() })
	return { status: 'failed', reason: message }
}
