import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { float64Type, int32Type, messagesType, stringType, textType } from './fields.ts'
import { openParquetSink } from './parquet-sink.ts'

let dir: string
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'quorum-parquet-sink-'))
})
afterAll(async () => {
	await rm(dir, { recursive: true, force: true })
})

async function writeRows(name: string, texts: string[], rowGroupSize: number) {
	const path = join(dir, name)
	const sink = await openParquetSink({
		path,
		columns: [{ name: 'text', type: { kind: 'string' }, nullable: false }],
		rowGroupSize,
		createdBy: 'test',
	})
	for (const text of texts) await sink.write({ text })
	await sink.close()
	const bytes = await readFile(path)
	const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
	return {
		groups: parquetMetadata(buffer).row_groups.map((group) => Number(group.num_rows)),
		rows: await parquetReadObjects({ file: buffer }),
	}
}

test('row groups end at the row limit', async () => {
	const { groups, rows } = await writeRows('short.parquet', ['a', 'b', 'c', 'd', 'e'], 2)
	expect(groups).toEqual([2, 2, 1])
	expect(rows.map((row) => row.text)).toEqual(['a', 'b', 'c', 'd', 'e'])
})

test('long texts end a row group early, so a group never holds more than about 2 M characters', async () => {
	const long = (letter: string) => letter.repeat(1_000_000)
	const texts = ['a', 'b', 'c', 'd', 'e', 'f'].map(long)
	const { groups, rows } = await writeRows('long.parquet', texts, 10_000)
	expect(groups).toEqual([2, 2, 2])
	expect(rows.map((row) => String(row.text).length)).toEqual(texts.map((text) => text.length))
	expect(rows.map((row) => String(row.text)[0])).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
})

test('free-text columns carry no min/max statistics; other columns do', async () => {
	const path = join(dir, 'stats.parquet')
	const columns = [
		{ name: 'chosen', type: textType, nullable: false },
		{ name: 'conversation', type: messagesType, nullable: false },
		{ name: 'group_id', type: stringType, nullable: false },
		{ name: 'agreement', type: float64Type, nullable: true },
	]
	const sink = await openParquetSink({ path, columns, rowGroupSize: 100, createdBy: 'test' })
	for (const [index, text] of ['Paris.', 'Lyon.'].entries()) {
		await sink.write({
			chosen: text,
			conversation: [{ role: 'user', content: text }],
			group_id: `item-${index}`,
			agreement: index / 2,
		})
	}
	await sink.close()
	const bytes = await readFile(path)
	const [group] = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).row_groups
	const statistics = Object.fromEntries(
		group!.columns.map((chunk) => [chunk.meta_data!.path_in_schema.join('.'), chunk.meta_data!.statistics]),
	)
	expect(statistics['chosen']).toBeUndefined()
	expect(statistics['conversation.list.element.content']).toBeUndefined()
	expect(statistics['group_id']).toMatchObject({ min_value: 'item-0', max_value: 'item-1' })
	expect(statistics['agreement']).toMatchObject({ max_value: 0.5 })
})

test('the encoding thread reports its failures: a file that exists, a value of the wrong type', async () => {
	const columns = [{ name: 'n', type: int32Type, nullable: false }]
	const existing = join(dir, 'exists.parquet')
	await writeFile(existing, 'taken')
	await expect(openParquetSink({ path: existing, columns, rowGroupSize: 10, createdBy: 'test' })).rejects.toThrow(
		/exists\.parquet/,
	)

	const sink = await openParquetSink({
		path: join(dir, 'wrong-type.parquet'),
		columns,
		rowGroupSize: 10,
		createdBy: 'test',
	})
	await sink.write({ n: 'not a number' })
	await expect(sink.close()).rejects.toThrow(/wrong-type\.parquet/)
})
