import type { FileHandle } from 'node:fs/promises'
import { open } from 'node:fs/promises'
import type { SchemaElement } from 'hyparquet'
import { ByteWriter, ParquetWriter } from 'hyparquet-writer'
import type { Field, FieldType, JsonValue, Row } from './types.ts'

function schemaElements(column: Field): SchemaElement[] {
	const base = { name: column.name, repetition_type: column.nullable ? 'OPTIONAL' : 'REQUIRED' } as const
	const type = column.type
	switch (type.kind) {
		case 'string':
			return [{ ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' }]
		case 'bool':
			return [{ ...base, type: 'BOOLEAN' }]
		case 'int32':
			return [{ ...base, type: 'INT32' }]
		case 'int64':
			return [{ ...base, type: 'INT64' }]
		case 'float64':
			return [{ ...base, type: 'DOUBLE' }]
		case 'list':
			return [
				{ ...base, converted_type: 'LIST', num_children: 1 },
				{ name: 'list', repetition_type: 'REPEATED', num_children: 1 },
				...schemaElements({ name: 'element', type: type.element, nullable: false }),
			]
		case 'struct':
			return [{ ...base, num_children: type.fields.length }, ...type.fields.flatMap(schemaElements)]
	}
}

/** The standard three-level Parquet layout for lists, so DuckDB, Arrow and Spark read LIST<STRUCT<…>>. */
export function parquetSchema(columns: Field[]): SchemaElement[] {
	return [{ name: 'root', num_children: columns.length }, ...columns.flatMap(schemaElements)]
}

function parquetValue(column: Field, value: JsonValue | undefined) {
	if (value === null || value === undefined) return null
	if (column.type.kind === 'int64' && typeof value === 'number') return BigInt(value)
	return value
}

function holdsText(type: FieldType): boolean {
	if (type.kind === 'string') return type.text === true
	if (type.kind === 'list') return holdsText(type.element)
	if (type.kind === 'struct') return type.fields.some(field => holdsText(field.type))
	return false
}

/** Flushes each finished row group to the file, so only one row group is ever held in memory. */
class FileByteWriter extends ByteWriter {
	constructor(private readonly file: FileHandle) {
		super()
	}

	async flush() {
		const bytes = new Uint8Array(this.buffer, 0, this.index)
		for (let done = 0; done < bytes.length; ) {
			const { bytesWritten } = await this.file.write(bytes, done, bytes.length - done)
			done += bytesWritten
		}
		this.index = 0
	}

	override finish(): Promise<void> {
		return this.flush()
	}
}

/**
 * A row group also ends once its text passes this many characters: the writer encodes a whole
 * group at once, so memory follows the group's size in bytes, not in rows, and long responses
 * must not make it grow. Depends only on the rows, so the files stay reproducible.
 */
const ROW_GROUP_MAX_CHARS = 4_000_000

function textLength(value: JsonValue | Row | undefined): number {
	if (typeof value === 'string') return value.length
	if (value === null || typeof value !== 'object') return 8
	let total = 0
	for (const inner of Array.isArray(value) ? value : Object.values(value)) total += textLength(inner)
	return total
}

export type RowSink = {
	/** A promise only when the row had to wait (a row group or a buffer being flushed). */
	write(row: Row): Promise<void> | void
	close(): Promise<void>
	abort(): Promise<void>
}

export async function openParquetSink({
	path,
	columns,
	rowGroupSize,
	createdBy,
}: {
	path: string
	columns: Field[]
	rowGroupSize: number
	createdBy: string
}): Promise<RowSink> {
	const file = await open(path, 'wx')
	const writer = new ParquetWriter({ writer: new FileByteWriter(file), schema: parquetSchema(columns), createdBy })
	let buffer: Row[] = []
	let bufferedChars = 0

	async function flushRowGroup() {
		if (buffer.length === 0) return
		const rows = buffer
		buffer = []
		bufferedChars = 0
		const columnData = columns.map(column => ({
			name: column.name,
			data: rows.map(row => parquetValue(column, row[column.name])),
			statistics: !holdsText(column.type),
		}))
		await writer.write({ columnData, rowGroupSize: rows.length })
	}

	return {
		write(row) {
			buffer.push(row)
			bufferedChars += textLength(row)
			if (buffer.length >= rowGroupSize || bufferedChars >= ROW_GROUP_MAX_CHARS) return flushRowGroup()
		},
		async close() {
			await flushRowGroup()
			await writer.finish()
			await file.sync()
			await file.close()
		},
		async abort() {
			buffer = []
			await file.close().catch(() => {})
		},
	}
}
