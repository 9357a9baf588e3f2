import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { SchemaElement } from 'hyparquet'
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
	if (type.kind === 'struct') return type.fields.some((field) => holdsText(field.type))
	return false
}

/**
 * A row group also ends once its text passes this many characters: the writer encodes a whole
 * group at once, so memory follows the group's size in bytes, not in rows, and long responses
 * must not make it grow. Depends only on the rows, so the files stay reproducible.
 */
const ROW_GROUP_MAX_CHARS = 2_000_000

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

/** Row groups sent to the encoding thread and not yet written: enough to keep it busy. */
const GROUPS_IN_FLIGHT = 2

const threadPath = createRequire(import.meta.url).resolve('#exports/parquet-thread.mjs')

type ThreadMessage = { type: 'ready' | 'written' | 'finished' } | { type: 'error'; message: string }

/**
 * A Parquet file written by its own thread (`parquet-thread.mjs`): rows are buffered here into
 * row groups, and each group's columns go to the thread, which encodes and writes it while this
 * thread goes on producing rows. The thread runs the same writer calls in the same order, so the
 * file is byte-identical to one written in place.
 */
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
	const thread = new Worker(threadPath, {
		workerData: { path, schema: parquetSchema(columns), createdBy },
		// A row group's text and its encoded pages; a limit, not a reservation.
		resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 4 },
	})
	// The thread answers every message in order ('ready' first): one settler per answer awaited.
	const answers: { resolve: () => void; reject: (error: Error) => void }[] = []
	let failure: Error | null = null
	let finished = false
	const fail = (error: Error) => {
		failure ??= error
		for (const answer of answers.splice(0)) answer.reject(failure)
	}
	const answer = () =>
		new Promise<void>((resolve, reject) => {
			if (failure) reject(failure)
			else answers.push({ resolve, reject })
		})
	const request = (message: unknown) => {
		const answered = answer()
		if (!failure) thread.postMessage(message)
		return answered
	}
	thread.on('message', (message: ThreadMessage) => {
		if (message.type === 'error') return fail(new Error(`Writing ${path}: ${message.message}`))
		if (message.type === 'finished') finished = true
		answers.shift()?.resolve()
	})
	thread.on('error', fail)
	thread.on('exit', (code) => {
		if (!finished) fail(new Error(`Writing ${path}: the Parquet thread stopped (exit code ${code})`))
	})
	try {
		await answer()
	} catch (error) {
		await thread.terminate()
		throw error
	}

	/** Row groups sent and not yet written, oldest first. */
	const unwritten: Promise<void>[] = []
	let buffer: Row[] = []
	let bufferedChars = 0

	function sendRowGroup() {
		if (buffer.length === 0) return
		const rows = buffer
		buffer = []
		bufferedChars = 0
		const columnData = columns.map((column) => ({
			name: column.name,
			data: rows.map((row) => parquetValue(column, row[column.name])),
			statistics: !holdsText(column.type),
		}))
		const written = request({ type: 'group', columnData, rows: rows.length })
		written.catch(() => {})
		unwritten.push(written)
		if (unwritten.length >= GROUPS_IN_FLIGHT) return unwritten.shift()
	}

	return {
		write(row) {
			if (failure) return Promise.reject(failure)
			buffer.push(row)
			bufferedChars += textLength(row)
			if (buffer.length >= rowGroupSize || bufferedChars >= ROW_GROUP_MAX_CHARS) return sendRowGroup()
		},
		async close() {
			await sendRowGroup()
			await Promise.all(unwritten)
			await request({ type: 'finish' })
			await thread.terminate()
		},
		async abort() {
			buffer = []
			finished = true
			await thread.terminate()
		},
	}
}
