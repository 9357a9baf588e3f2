import {
	asyncBufferFromFile,
	parquetMetadataAsync,
	parquetReadObjects,
	type AsyncBuffer,
	type FileMetaData,
	type RowGroup,
} from 'hyparquet'
import { decodeTabularRow } from './tabular-row.ts'
import type { RawRecord } from './types.ts'

const READABLE_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY'])

// pandas stores a non-default index as extra columns; like CSV's unnamed index column, not item data.
const PANDAS_INDEX = /^__index_level_\d+__$/

const fileError = (message: string): RawRecord => ({ line: 0, errors: [{ line: 0, path: '', message }] })

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Parquet values made JSON-safe, so hashing and storage see the same thing. */
export function toJsonValue(value: unknown): unknown {
	if (typeof value === 'bigint') {
		return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
			? Number(value)
			: value.toString()
	}
	if (typeof value === 'number') return Number.isFinite(value) ? value : null
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
	if (value instanceof Uint8Array)
		return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
	if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>, toJsonValue)
	if (Array.isArray(value)) return value.map(toJsonValue)
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, toJsonValue(entry)]))
	}
	return value
}

function unreadableCodecs(metadata: FileMetaData) {
	const codecs = new Set<string>()
	for (const group of metadata.row_groups) {
		for (const chunk of group.columns) {
			const codec = chunk.meta_data?.codec
			if (codec && !READABLE_CODECS.has(codec)) codecs.add(codec)
		}
	}
	return [...codecs]
}

const hasOffsetIndex = (group: RowGroup) =>
	group.columns.every((chunk) => chunk.offset_index_offset !== undefined && chunk.offset_index_length !== undefined)

/**
 * Reads rows a row group at a time, or `rowsPerRead` rows at a time when the writer stored offset
 * indexes (then only the pages holding those rows are read). `line` is the 1-based row number.
 */
export async function* readParquetRecords({
	source,
	rowsPerRead = 1000,
}: {
	source: string | AsyncBuffer
	rowsPerRead?: number
}): AsyncGenerator<RawRecord> {
	const file = typeof source === 'string' ? await asyncBufferFromFile(source) : source
	if (file.byteLength === 0) {
		yield fileError('the file is empty')
		return
	}
	let metadata: FileMetaData
	try {
		metadata = await parquetMetadataAsync(file)
	} catch (error) {
		yield fileError(`the file is not a readable Parquet file: ${reason(error)}`)
		return
	}
	const codecs = unreadableCodecs(metadata)
	if (codecs.length > 0) {
		yield fileError(`the file is compressed with ${codecs.join(', ')}; save it uncompressed or with SNAPPY compression`)
		return
	}
	if (Number(metadata.num_rows) === 0) {
		yield fileError('the file has no rows')
		return
	}
	let groupStart = 0
	for (const group of metadata.row_groups) {
		const groupEnd = groupStart + Number(group.num_rows)
		const paged = hasOffsetIndex(group)
		const step = paged ? Math.max(1, rowsPerRead) : groupEnd - groupStart
		for (let rowStart = groupStart; rowStart < groupEnd; rowStart += step) {
			const rowEnd = Math.min(rowStart + step, groupEnd)
			let rows: Record<string, unknown>[]
			try {
				rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, useOffsetIndex: paged })
			} catch (error) {
				const line = rowStart + 1
				const message = `rows ${line} to ${rowEnd} could not be read (${reason(error)}); the rest of the file was not read`
				yield { line, errors: [{ line, path: '', message }] }
				return
			}
			for (const [index, row] of rows.entries()) {
				const line = rowStart + index + 1
				const decoded = decodeTabularRow({
					entries: Object.entries(row)
						.filter(([column]) => !PANDAS_INDEX.test(column))
						.map(([column, value]): [string, unknown] => [column, toJsonValue(value)]),
					chatColumnsMayBeJson: false,
				})
				yield 'errors' in decoded
					? { line, errors: decoded.errors.map((error) => ({ line, ...error })) }
					: { line, value: decoded.value }
			}
		}
		groupStart = groupEnd
	}
}
