import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { parse as parseYaml } from 'yaml'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sourceJudgments } from '#tests/fixtures/exports/judgments.ts'
import { datasetFormats, type FormatName } from './formats/index.ts'
import type { Manifest } from './manifest.ts'
import { ExportOptionsSchema, type ExportOptionsInput } from './options.ts'
import { splitFor } from './split.ts'
import { ExportInputError, type SourceJudgment } from './types.ts'
import { removeStaleTempDirs, writeDataset, type WriteDatasetArgs } from './write-dataset.ts'

let workDir: string
let duck: DuckDBInstance
let sql: DuckDBConnection
let exportCount = 0

// The first seed that puts items with a clear preference into both splits, so each split is exercised.
const clearItems = sourceJudgments.filter((judgment) => !judgment.ranking.every((tier) => tier.length > 1))
const seed = Array.from({ length: 100 }, (_, i) => i).find((candidate) => {
	const splits = new Set(clearItems.map(({ context }) => splitFor({ context, split: { test: 0.5, seed: candidate } })))
	return splits.size === 2
})!

beforeAll(async () => {
	workDir = await mkdtemp(join(tmpdir(), 'quorum-dataset-'))
	duck = await DuckDBInstance.create(':memory:')
	sql = await duck.connect()
})
afterAll(async () => {
	sql.closeSync()
	duck.closeSync()
	await rm(workDir, { recursive: true, force: true })
})

function quoted(path: string) {
	return `'${path.replaceAll("'", "''")}'`
}

async function query(text: string) {
	return (await sql.runAndReadAll(text)).getRowObjectsJson()
}

async function parquetColumns(path: string) {
	const rows = await query(`DESCRIBE SELECT * FROM read_parquet(${quoted(path)})`)
	return Object.fromEntries(rows.map((row) => [String(row.column_name), String(row.column_type)]))
}

async function parquetRows(path: string): Promise<Array<Record<string, unknown>>> {
	const rows = await query(`SELECT to_json(t)::VARCHAR AS row FROM read_parquet(${quoted(path)}) t`)
	return rows.map((row) => JSON.parse(String(row.row)))
}

async function jsonlRows(path: string): Promise<Array<Record<string, unknown>>> {
	const text = await readFile(path, 'utf8')
	return text
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line))
}

async function exportDataset(overrides: Partial<WriteDatasetArgs> & { options?: ExportOptionsInput } = {}) {
	const outDir = join(workDir, 'exports', `export-${++exportCount}`)
	const manifest = await writeDataset({
		source: sourceJudgments,
		format: 'trl-preference',
		exportId: 'exp-1',
		snapshotAt: '2026-03-02T00:00:00.000Z',
		quorumVersion: '0.1.0',
		rowGroupSize: 2,
		...overrides,
		options: { files: ['parquet', 'jsonl'], split: { test: 0.5, seed }, ...overrides.options },
		outDir: overrides.outDir ?? outDir,
	})
	return { outDir: overrides.outDir ?? outDir, manifest }
}

async function readTree(dir: string, prefix = ''): Promise<string[]> {
	const entries = await readdir(join(dir, prefix), { withFileTypes: true })
	const files = await Promise.all(
		entries.map((entry) =>
			entry.isDirectory() ? readTree(dir, join(prefix, entry.name)) : Promise.resolve([join(prefix, entry.name)]),
		),
	)
	return files.flat().sort()
}

async function expectManifestMatchesFiles(outDir: string, manifest: Manifest) {
	const onDisk = (await readTree(outDir)).filter((path) => path !== 'manifest.json')
	expect(manifest.files.map((file) => file.path)).toEqual(onDisk)
	for (const file of manifest.files) {
		const bytes = await readFile(join(outDir, file.path))
		expect(file.bytes).toBe(bytes.length)
		expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
	}
	expect(JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8'))).toEqual(manifest)
}

const messageList = 'STRUCT("role" VARCHAR, "content" VARCHAR)[]'

const readBackCases: Array<{ format: FormatName; options?: ExportOptionsInput; types: Record<string, string> }> = [
	{
		format: 'trl-preference',
		types: { prompt: 'VARCHAR', chosen: 'VARCHAR', rejected: 'VARCHAR', group_id: 'VARCHAR', agreement: 'DOUBLE' },
	},
	{
		format: 'trl-preference',
		options: { style: 'conversational', margin: 'llama2-small', ties: 'raw' },
		types: { prompt: messageList, chosen: messageList, rejected: messageList, margin: 'DOUBLE', tie: 'BOOLEAN' },
	},
	{ format: 'trl-kto', types: { prompt: 'VARCHAR', completion: 'VARCHAR', label: 'BOOLEAN' } },
	{
		format: 'trl-kto',
		options: { style: 'conversational' },
		types: { prompt: messageList, completion: messageList, label: 'BOOLEAN' },
	},
	{
		format: 'openai-dpo',
		types: {
			input: `STRUCT(messages ${messageList})`,
			preferred_output: messageList,
			non_preferred_output: messageList,
		},
	},
	{ format: 'hh', types: { chosen: 'VARCHAR', rejected: 'VARCHAR' } },
	{ format: 'sft', types: { messages: messageList } },
	{
		format: 'arena',
		options: { ties: 'raw' },
		types: { model_a: 'VARCHAR', model_b: 'VARCHAR', winner: 'VARCHAR', judge: 'VARCHAR', tstamp: 'DOUBLE' },
	},
	{
		format: 'raw',
		types: {
			messages: messageList,
			responses: 'STRUCT(id VARCHAR, model VARCHAR, "content" VARCHAR)[]',
			display_order: 'VARCHAR[]',
			ranking: 'VARCHAR[][]',
			strength: 'INTEGER',
			active_ms: 'BIGINT',
			criteria: 'VARCHAR',
		},
	},
]

describe('DuckDB reads every Parquet file back', () => {
	for (const { format, options, types } of readBackCases) {
		test(`${format} ${JSON.stringify(options ?? {})}`, async () => {
			const { outDir, manifest } = await exportDataset({ format, options })
			const columns = datasetFormats[format].columns({ options: ExportOptionsSchema.parse(options ?? {}) })
			const splitRows: Record<string, Array<Record<string, unknown>>> = {}
			for (const split of ['train', 'test'] as const) {
				const parquet = join(outDir, `data/${split}-00000-of-00001.parquet`)
				if (manifest.counts[split] === 0) {
					expect(manifest.files.some((file) => file.path.startsWith(`data/${split}-`))).toBe(false)
					continue
				}
				const described = await parquetColumns(parquet)
				expect(Object.keys(described)).toEqual(columns.map((column) => column.name))
				for (const [name, type] of Object.entries(types)) expect(described[name], name).toBe(type)
				const rows = await parquetRows(parquet)
				expect(rows).toHaveLength(manifest.counts[split])
				expect(rows).toEqual(await jsonlRows(join(outDir, `data/${split}-00000-of-00001.jsonl`)))
				splitRows[split] = rows
			}
			expect(manifest.counts.train).toBeGreaterThan(0)
			expect(manifest.counts.test).toBeGreaterThan(0)

			const all = [...(splitRows.train ?? []), ...(splitRows.test ?? [])]
			for (const row of all) {
				if ('chosen' in row && row.tie !== true) expect(row.chosen).not.toEqual(row.rejected)
				if ('preferred_output' in row) expect(row.preferred_output).not.toEqual(row.non_preferred_output)
				if ('model_a' in row) expect(row.model_a).not.toBe(row.model_b)
			}
			const itemsIn = (rows: Array<Record<string, unknown>> = []) =>
				new Set(
					rows.map((row) =>
						JSON.stringify(row.prompt ?? row.input ?? row.external_id ?? String(row.group_id).split(':')[0]),
					),
				)
			const train = itemsIn(splitRows.train)
			for (const item of itemsIn(splitRows.test)) expect(train.has(item), item).toBe(false)

			await expectManifestMatchesFiles(outDir, manifest)
		})
	}
})

describe('writeDataset', () => {
	test('writes row groups as rows stream, with a fixed created_by and no key-value metadata', async () => {
		const { outDir, manifest } = await exportDataset({ options: { split: { test: 0, seed: 0 } } })
		const path = quoted(join(outDir, 'data/train-00000-of-00001.parquet'))
		const groups = await query(
			`SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata(${path}) ORDER BY 1`,
		)
		expect(groups).toHaveLength(Math.ceil(manifest.counts.train / 2))
		expect(await query(`SELECT created_by FROM parquet_file_metadata(${path})`)).toEqual([
			{ created_by: 'quorum version 0.1.0' },
		])
		expect(await query(`SELECT * FROM parquet_kv_metadata(${path})`)).toEqual([])
	})

	test('the same inputs give byte-identical folders', async () => {
		const args = {
			format: 'trl-preference' as const,
			options: { files: ['parquet', 'jsonl'], gzip: true, margin: 'llama2-large', split: { test: 0.3, seed: 7 } },
		} satisfies Partial<WriteDatasetArgs>
		const first = await exportDataset(args)
		const second = await exportDataset(args)
		const files = await readTree(first.outDir)
		expect(files).toEqual(await readTree(second.outDir))
		expect(files).toContain('data/train-00000-of-00001.jsonl.gz')
		for (const file of files) {
			expect((await readFile(join(second.outDir, file))).equals(await readFile(join(first.outDir, file))), file).toBe(
				true,
			)
		}
	})

	test('writes the dataset card with configs and features that match the data', async () => {
		const { outDir, manifest } = await exportDataset({ options: { style: 'conversational' } })
		const card = await readFile(join(outDir, 'README.md'), 'utf8')
		const frontMatter = parseYaml(card.split('---\n')[1]!)
		expect(frontMatter.configs).toEqual([
			{
				config_name: 'default',
				data_files: [
					{ split: 'train', path: 'data/train-*.parquet' },
					{ split: 'test', path: 'data/test-*.parquet' },
				],
			},
		])
		expect(frontMatter.dataset_info.splits).toEqual([
			{ name: 'train', num_examples: manifest.counts.train },
			{ name: 'test', num_examples: manifest.counts.test },
		])
		const messages = [
			{ name: 'role', dtype: 'string' },
			{ name: 'content', dtype: 'string' },
		]
		expect(frontMatter.dataset_info.features).toEqual([
			{ name: 'prompt', list: messages },
			{ name: 'chosen', list: messages },
			{ name: 'rejected', list: messages },
			{ name: 'chosen_model', dtype: 'string' },
			{ name: 'rejected_model', dtype: 'string' },
			{ name: 'group_id', dtype: 'string' },
			{ name: 'agreement', dtype: 'float64' },
		])
		expect(card).toContain('load_dataset("path/to/this/folder")')
		expect(card).toContain('Split:** deterministic by prompt')
	})

	test('a source that fails midway leaves neither the folder nor a temporary folder', async () => {
		const parent = join(workDir, 'atomic')
		const outDir = join(parent, 'export')
		async function* failing(): AsyncGenerator<SourceJudgment> {
			yield* sourceJudgments.slice(0, 4)
			throw new Error('connection reset')
		}
		await expect(exportDataset({ source: failing(), outDir, rowGroupSize: 1 })).rejects.toThrow('connection reset')
		expect(await readdir(parent)).toEqual([])
	})

	test('bad input in a judgment fails the export cleanly, naming the item', async () => {
		const parent = join(workDir, 'bad-input')
		const broken = { ...sourceJudgments[0]!, externalId: 'broken', ranking: [['r1'], ['r9']] }
		await expect(
			exportDataset({ source: [...sourceJudgments, broken], outDir: join(parent, 'export') }),
		).rejects.toThrow(/broken.*"r9"/)
		expect(await readdir(parent)).toEqual([])
	})

	test('refuses an existing folder and leaves it alone', async () => {
		const outDir = join(workDir, 'existing')
		await mkdir(outDir)
		await writeFile(join(outDir, 'keep.txt'), 'mine')
		await expect(exportDataset({ outDir })).rejects.toThrow(ExportInputError)
		expect(await readdir(outDir)).toEqual(['keep.txt'])
	})

	test('rejects invalid options, naming the field', async () => {
		await expect(exportDataset({ options: { split: { test: 2, seed: 1 } } })).rejects.toThrow(/split\.test/)
		await expect(exportDataset({ options: { tie: 'raw' } as ExportOptionsInput })).rejects.toThrow(/tie/)
		await expect(exportDataset({ format: 'hh', options: { margin: 'llama2-small' } })).rejects.toThrow(/margin/)
	})

	test('an export with no rows still has a readable, empty train split', async () => {
		const { outDir, manifest } = await exportDataset({ options: { onlyAdjudicated: true } })
		expect(manifest.counts).toEqual({
			train: 0,
			test: 0,
			judgments: sourceJudgments.length,
			skipped: { 'not-adjudicated': sourceJudgments.length },
		})
		const path = join(outDir, 'data/train-00000-of-00001.parquet')
		expect(Object.keys(await parquetColumns(path))).toEqual([
			'prompt',
			'chosen',
			'rejected',
			'chosen_model',
			'rejected_model',
			'group_id',
			'agreement',
		])
		expect(await parquetRows(path)).toEqual([])
		await expectManifestMatchesFiles(outDir, manifest)
	})

	test('reports progress as rows are written, ending with the total', async () => {
		const seen: number[] = []
		const { manifest } = await exportDataset({ progressEvery: 3, onProgress: (rows) => void seen.push(rows) })
		const total = manifest.counts.train + manifest.counts.test
		expect(seen.at(-1)).toBe(total)
		expect(seen.length).toBeGreaterThan(1)
		expect([...seen].sort((a, b) => a - b)).toEqual(seen)
	})

	test('applies filters and records why rows were left out', async () => {
		const { manifest } = await exportDataset({
			options: { excludeAnnotators: ['annotator-dead00'], minAgreement: 0.6, split: { test: 0, seed: 0 } },
		})
		expect(manifest.counts.skipped).toEqual({
			'below-min-agreement': 1,
			'both-bad': 1,
			duplicate: 1,
			'excluded-annotator': 1,
			tie: 1,
			'unknown-agreement': 1,
		})
		expect(manifest.options.excludeAnnotators).toEqual(['annotator-dead00'])
	})

	test('removeStaleTempDirs clears what a killed export left behind', async () => {
		const parent = join(workDir, 'stale')
		await mkdir(join(parent, 'export.tmp-abc123', 'data'), { recursive: true })
		await mkdir(join(parent, 'other.tmp-abc123'), { recursive: true })
		expect(await removeStaleTempDirs({ outDir: join(parent, 'export') })).toBe(1)
		expect(await readdir(parent)).toEqual(['other.tmp-abc123'])
	})
})
