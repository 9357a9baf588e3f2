import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { parquetWriteBuffer, parquetWriteFile, type ColumnSource, type SchemaElement } from 'hyparquet-writer'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { TaskType } from '#app/generated/prisma/enums.ts'
import { parseImport } from './parse-import.ts'
import { readParquetRecords } from './read-parquet.ts'
import { collect } from './test-helpers.ts'

let dir = ''

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'quorum-parquet-'))
})

afterAll(async () => {
	await rm(dir, { recursive: true, force: true })
})

let fileCount = 0

function writeParquet(options: {
	columnData: ColumnSource[]
	schema?: SchemaElement[]
	rowGroupSize?: number
	pageSize?: number
}) {
	fileCount += 1
	const filename = path.join(dir, `fixture-${fileCount}.parquet`)
	parquetWriteFile({ filename, ...options })
	return filename
}

const parseParquet = (source: string | ArrayBuffer, taskType: TaskType = 'ranking') =>
	collect(parseImport({ format: 'parquet', source, taskType }))

const text = (name: string, data: (string | null)[]): ColumnSource => ({ name, data, type: 'STRING' })

/** The schema pyarrow writes for a list of {role, content} structs, as Hugging Face datasets do. */
const messageListSchema = (name: string): SchemaElement[] => [
	{ name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
	{ name: 'list', repetition_type: 'REPEATED', num_children: 1 },
	{ name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
	{ name: 'role', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
	{ name: 'content', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
]

const optionalText = (name: string): SchemaElement => ({
	name,
	type: 'BYTE_ARRAY',
	converted_type: 'UTF8',
	repetition_type: 'OPTIONAL',
})

describe('Parquet shapes', () => {
	test('pairwise shorthand, with an INT64 id, an extra column and a pandas index', async () => {
		const filename = writeParquet({
			columnData: [
				{ name: '__index_level_0__', data: [5n, 9n], type: 'INT64' },
				{ name: 'id', data: [10n, 11n], type: 'INT64' },
				text('prompt', ['Why?', 'How?']),
				text('response_a', ['Because.', 'Like this.']),
				text('response_b', ['No idea.', 'Like that.']),
				text('model_a', ['m1', null]),
				{ name: 'score', data: [0.5, 2], type: 'DOUBLE' },
			],
		})
		const { items, errors } = await parseParquet(filename, 'pairwise')
		expect(errors).toEqual([])
		expect(items).toMatchObject([
			{
				line: 1,
				externalId: '10',
				context: { prompt: 'Why?' },
				responses: [
					{ id: 'r1', model: 'm1', content: 'Because.' },
					{ id: 'r2', model: null, content: 'No idea.' },
				],
				metadata: { score: 0.5 },
			},
			{ line: 2, externalId: '11', responses: [{ model: null }, { model: null }], metadata: { score: 2 } },
		])
	})

	test('chosen/rejected with conversational prompts stored as a list of structs', async () => {
		const prompts = [
			[
				{ role: 'system', content: 'Be terse.' },
				{ role: 'user', content: 'Hi' },
			],
			[{ role: 'user', content: 'Bye' }],
		]
		const filename = writeParquet({
			columnData: [
				{ name: 'prompt', data: prompts },
				{ name: 'chosen', data: ['Hello.', 'Goodbye.'] },
				{ name: 'rejected', data: ['What?', 'No.'] },
			],
			schema: [
				{ name: 'root', num_children: 3 },
				...messageListSchema('prompt'),
				optionalText('chosen'),
				optionalText('rejected'),
			],
		})
		const { items, errors } = await parseParquet(filename)
		expect(errors).toEqual([])
		expect(items).toMatchObject([
			{
				context: { messages: prompts[0] },
				responses: [{ content: 'Hello.' }, { content: 'What?' }],
				metadata: { original_preference: { chosen: 'r1', rejected: 'r2' } },
			},
			{ context: { messages: prompts[1] } },
		])
	})

	test('canonical rows with JSON text columns or a JSON-typed column', async () => {
		const filename = writeParquet({
			columnData: [
				text('id', ['a', 'b']),
				text('prompt', ['Rank', 'Rank again']),
				text('responses', [
					JSON.stringify([{ content: 'x' }, { content: 'y' }, { content: 'z', model: 'm' }]),
					JSON.stringify([{ content: 'x' }, { content: 'y' }]),
				]),
				{ name: 'metadata', data: [{ lang: 'en' }, null], type: 'JSON' },
				text('gold', ['{"ranking": [["r3"], ["r1", "r2"]]}', 'r1']),
			],
		})
		const { items, errors } = await parseParquet(filename)
		expect(errors).toEqual([])
		expect(items).toMatchObject([
			{
				externalId: 'a',
				responses: [{ id: 'r1' }, { id: 'r2' }, { id: 'r3', model: 'm' }],
				metadata: { lang: 'en' },
				gold: { ranking: [['r3'], ['r1', 'r2']] },
			},
			{ externalId: 'b', metadata: null, gold: { ranking: [['r1'], ['r2']] } },
		])
	})

	test('an in-memory AsyncBuffer works like a file', async () => {
		const buffer = parquetWriteBuffer({
			columnData: [text('prompt', ['p']), text('chosen', ['c']), text('rejected', ['r'])],
		})
		const { items, errors } = await parseParquet(buffer)
		expect(errors).toEqual([])
		expect(items).toHaveLength(1)
	})

	test('rows are read in batches across row groups and pages, keeping row numbers', async () => {
		const count = 230
		const prompts = Array.from({ length: count }, (_, index) => `prompt ${index} ${'padding '.repeat(5)}`)
		const columnData = [
			text('prompt', prompts),
			text(
				'response_a',
				prompts.map((_, index) => `a${index}`),
			),
			text(
				'response_b',
				prompts.map((_, index) => `b${index}`),
			),
		]
		for (const offsetIndex of [true, false]) {
			const filename = writeParquet({
				columnData: columnData.map((column) => ({ ...column, offsetIndex })),
				rowGroupSize: 100,
				pageSize: 512,
			})
			const lines: number[] = []
			const prompted: unknown[] = []
			for await (const record of readParquetRecords({ source: filename, rowsPerRead: 7 })) {
				lines.push(record.line)
				if ('value' in record) prompted.push((record.value as { prompt: string }).prompt)
			}
			expect(lines).toEqual(Array.from({ length: count }, (_, index) => index + 1))
			expect(prompted).toEqual(prompts)
		}
	})
})

describe('Parquet bad input', () => {
	test('bad rows carry their row number; duplicate ids name the first row', async () => {
		const filename = writeParquet({
			columnData: [
				text('id', ['x', 'y', 'x', 'z']),
				text('prompt', ['p', null, 'p', 'p']),
				text('response_a', ['a', 'a', 'a', 'a']),
				text('response_b', ['b', 'b', 'b', null]),
			],
		})
		const { items, errors } = await parseParquet(filename)
		expect(items.map((item) => item.line)).toEqual([1])
		expect(errors).toEqual([
			{ line: 2, path: 'prompt', message: 'missing (expected a string or a list of chat messages)' },
			{ line: 3, path: 'id', message: 'duplicate id "x": already used on line 1' },
			{ line: 4, path: 'response_b', message: 'missing (expected a string)' },
		])
	})

	test('wrong column types and invalid JSON columns', async () => {
		const filename = writeParquet({
			columnData: [
				{ name: 'prompt', data: [1, 2], type: 'INT32' },
				text('response_a', ['a', 'a']),
				text('response_b', ['b', 'b']),
				text('metadata', ['{}', '{oops']),
			],
		})
		const { errors } = await parseParquet(filename)
		expect(errors).toEqual([
			{ line: 1, path: 'prompt', message: 'expected a string or a list of chat messages, got number' },
			{ line: 2, path: 'metadata', message: expect.stringMatching(/^expected JSON in this column: /) },
		])
	})

	test('a file that is not Parquet, an empty file, a file without rows', async () => {
		const notParquet = path.join(dir, 'not.parquet')
		await writeFile(notParquet, '{"prompt": "this is JSON"}\n')
		expect(await parseParquet(notParquet)).toEqual({
			items: [],
			errors: [{ line: 0, path: '', message: expect.stringMatching(/^the file is not a readable Parquet file: /) }],
		})

		const empty = path.join(dir, 'empty.parquet')
		await writeFile(empty, '')
		expect(await parseParquet(empty)).toEqual({
			items: [],
			errors: [{ line: 0, path: '', message: 'the file is empty' }],
		})

		const noRows = writeParquet({ columnData: [text('prompt', []), text('chosen', []), text('rejected', [])] })
		expect(await parseParquet(noRows)).toEqual({
			items: [],
			errors: [{ line: 0, path: '', message: 'the file has no rows' }],
		})
	})

	test('a codec hyparquet cannot read is named up front', async () => {
		fileCount += 1
		const filename = path.join(dir, `gzip-${fileCount}.parquet`)
		parquetWriteFile({
			filename,
			codec: 'GZIP',
			compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
			columnData: [text('prompt', ['p']), text('chosen', ['c']), text('rejected', ['r'])],
		})
		expect(await parseParquet(filename)).toEqual({
			items: [],
			errors: [
				{
					line: 0,
					path: '',
					message: 'the file is compressed with GZIP; save it uncompressed or with SNAPPY compression',
				},
			],
		})
	})
})
