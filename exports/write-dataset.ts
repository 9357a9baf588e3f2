import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { renderDatasetCard, type DatasetCardStats } from './dataset-card.ts'
import { columnsFor, getDatasetFormat, type DatasetFormat, type FormatName } from './formats/index.ts'
import { openJsonlSink } from './jsonl-sink.ts'
import { describeFile, serializeManifest, type Manifest } from './manifest.ts'
import {
	canonicalOptions,
	ExportOptionsSchema,
	type ExportOptions,
	type ExportOptionsInput,
	type FileKind,
} from './options.ts'
import { openParquetSink, type RowSink } from './parquet-sink.ts'
import { createRowPipeline } from './pipeline.ts'
import { ExportInputError, type SourceJudgment, type SplitName } from './types.ts'

export type WriteDatasetArgs = {
	/** Judgments one by one, or in arrays (a batch at a time, which saves an await per judgment). */
	source: AsyncIterable<SourceJudgment | SourceJudgment[]> | Iterable<SourceJudgment | SourceJudgment[]>
	format: FormatName | DatasetFormat
	options: ExportOptionsInput
	exportId: string
	/** The final folder; it must not exist yet. */
	outDir: string
	snapshotAt: string
	quorumVersion: string
	stats?: DatasetCardStats
	/** Called every `progressEvery` rows and once when all rows are written. */
	onProgress?: (rowsWritten: number) => void | Promise<void>
	progressEvery?: number
	rowGroupSize?: number
}

const splitNames: SplitName[] = ['train', 'test']

function dataFileName(split: SplitName, kind: FileKind, gzip: boolean) {
	const extension = kind === 'parquet' ? 'parquet' : gzip ? 'jsonl.gz' : 'jsonl'
	return `data/${split}-00000-of-00001.${extension}`
}

function cardPattern(split: SplitName, options: ExportOptions) {
	const kind = options.files.includes('parquet') ? 'parquet' : 'jsonl'
	const extension = kind === 'parquet' ? 'parquet' : options.gzip ? 'jsonl.gz' : 'jsonl'
	return `data/${split}-*.${extension}`
}

function parseOptions(input: ExportOptionsInput): ExportOptions {
	const parsed = ExportOptionsSchema.safeParse(input)
	if (!parsed.success) throw new ExportInputError(`Invalid export options:\n${z.prettifyError(parsed.error)}`)
	return parsed.data
}

async function exists(path: string) {
	return stat(path).then(
		() => true,
		(error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return false
			throw error
		},
	)
}

function tempDirPrefix(outDir: string) {
	return `${basename(outDir)}.tmp-`
}

/**
 * Writes a dataset folder (data files, README.md dataset card, manifest.json) into a temporary
 * sibling folder and renames it into place, so `outDir` only ever appears complete. On failure
 * the temporary folder is removed.
 */
export async function writeDataset(args: WriteDatasetArgs): Promise<Manifest> {
	const options = parseOptions(args.options)
	const format = typeof args.format === 'string' ? getDatasetFormat({ name: args.format }) : args.format
	const pipeline = createRowPipeline({ format, options })
	const columns = columnsFor({ format, options })
	const rowGroupSize = args.rowGroupSize ?? 10_000
	const progressEvery = args.progressEvery ?? 1_000
	const outDir = resolve(args.outDir)
	if (await exists(outDir)) throw new ExportInputError(`The export folder ${outDir} already exists`)
	await mkdir(dirname(outDir), { recursive: true })
	const tempDir = join(dirname(outDir), tempDirPrefix(outDir) + randomBytes(6).toString('hex'))
	await mkdir(join(tempDir, 'data'), { recursive: true })

	const sinks = new Map<SplitName, RowSink[]>()
	const openedFiles: string[] = []
	const counts: Record<SplitName, number> = { train: 0, test: 0 }
	let rowsWritten = 0
	let reported = 0

	async function sinksFor(split: SplitName) {
		const existing = sinks.get(split)
		if (existing) return existing
		const opened: RowSink[] = []
		sinks.set(split, opened)
		for (const kind of options.files) {
			const path = dataFileName(split, kind, options.gzip)
			const absolutePath = join(tempDir, path)
			openedFiles.push(path)
			opened.push(
				kind === 'parquet'
					? await openParquetSink({
							path: absolutePath,
							columns,
							rowGroupSize,
							createdBy: `quorum version ${args.quorumVersion}`,
						})
					: await openJsonlSink({ path: absolutePath, columns, gzip: options.gzip }),
			)
		}
		return opened
	}

	try {
		for await (const chunk of args.source) {
			for (const judgment of Array.isArray(chunk) ? chunk : [chunk]) {
				for (const { split, row } of pipeline.push(judgment)) {
					// Awaited only when there is something to wait for: most writes only buffer the row.
					for (const sink of sinks.get(split) ?? (await sinksFor(split))) {
						const pending = sink.write(row)
						if (pending) await pending
					}
					counts[split]++
					rowsWritten++
				}
				if (args.onProgress && rowsWritten - reported >= progressEvery) {
					reported = rowsWritten
					const pending = args.onProgress(rowsWritten)
					if (pending) await pending
				}
			}
		}
		// An export with no rows still gets an empty train file, so the folder loads.
		if (sinks.size === 0) await sinksFor('train')
		for (const split of splitNames) {
			for (const sink of sinks.get(split) ?? []) await sink.close()
		}
		const summary = pipeline.summary()
		const writtenSplits = splitNames.filter((split) => sinks.has(split))
		const card = renderDatasetCard({
			exportId: args.exportId,
			format,
			options,
			columns,
			splits: writtenSplits.map((name) => ({ name, rows: counts[name], pattern: cardPattern(name, options) })),
			skipped: summary.skipped,
			judgmentsRead: summary.judgmentsRead,
			judgmentsKept: summary.judgmentsKept,
			annotators: summary.annotators,
			snapshotAt: args.snapshotAt,
			quorumVersion: args.quorumVersion,
			stats: args.stats,
		})
		await writeFile(join(tempDir, 'README.md'), card, { flag: 'wx' })
		const paths = ['README.md', ...openedFiles].sort()
		const files = []
		for (const path of paths) files.push(await describeFile({ absolutePath: join(tempDir, path), path }))
		const manifest: Manifest = {
			exportId: args.exportId,
			format: format.name,
			formatVersion: format.version,
			options: canonicalOptions(options),
			snapshotAt: args.snapshotAt,
			quorumVersion: args.quorumVersion,
			counts: { train: counts.train, test: counts.test, judgments: summary.judgmentsRead, skipped: summary.skipped },
			files,
		}
		await writeFile(join(tempDir, 'manifest.json'), serializeManifest(manifest), { flag: 'wx' })
		await args.onProgress?.(rowsWritten)
		await rename(tempDir, outDir)
		return manifest
	} catch (error) {
		for (const opened of sinks.values()) {
			for (const sink of opened) await sink.abort()
		}
		await rm(tempDir, { recursive: true, force: true })
		throw error
	}
}

/** Removes temporary folders a killed process left next to `outDir`; call before retrying an export. */
export async function removeStaleTempDirs({ outDir }: { outDir: string }) {
	const parent = dirname(resolve(outDir))
	const prefix = tempDirPrefix(outDir)
	const entries = await readdir(parent).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return []
		throw error
	})
	const stale = entries.filter((name) => name.startsWith(prefix))
	for (const name of stale) await rm(join(parent, name), { recursive: true, force: true })
	return stale.length
}
