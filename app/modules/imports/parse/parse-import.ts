import type { AsyncBuffer } from 'hyparquet'
import type { TaskType } from '#app/generated/prisma/enums.ts'
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_RESPONSE_BYTES } from './limits.ts'
import { normalizeLine, type ExtraFieldsPolicy } from './normalize-line.ts'
import { readCsvRecords } from './read-csv.ts'
import { readJsonlRecords } from './read-jsonl.ts'
import { readParquetRecords } from './read-parquet.ts'
import type { ParsedLine, RawRecord } from './types.ts'

type ParseOptions = {
	taskType: TaskType
	/** UTF-8 bytes allowed per response; default 256 KiB. */
	maxResponseBytes?: number
	/** Bytes allowed per JSONL line or CSV record; default 16 MiB. */
	maxLineBytes?: number
	/** Fields outside the line's shape go into `metadata` (default) or are errors. */
	extraFields?: ExtraFieldsPolicy
}

export type ParseImportOptions = ParseOptions &
	(
		| { format: 'jsonl' | 'csv'; source: AsyncIterable<Uint8Array> }
		/** Parquet needs random access: a file path or an AsyncBuffer. */
		| { format: 'parquet'; source: string | AsyncBuffer }
	)

function readRecords(options: ParseImportOptions): AsyncGenerator<RawRecord> {
	const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
	switch (options.format) {
		case 'jsonl':
			return readJsonlRecords({ source: options.source, maxLineBytes })
		case 'csv':
			return readCsvRecords({ source: options.source, maxLineBytes })
		case 'parquet':
			return readParquetRecords({ source: options.source })
	}
}

/**
 * Streams an import file as canonical items or per-line errors, in file order, holding at most one
 * line (or one Parquet row batch) plus the ids seen so far. Every line is checked, so a caller
 * can report all bad lines at once; a `line` of 0 is about the whole file.
 */
export async function* parseImport(options: ParseImportOptions): AsyncGenerator<ParsedLine> {
	const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
	const extraFields = options.extraFields ?? 'metadata'
	const firstLineById = new Map<string, number>()

	for await (const record of readRecords(options)) {
		if ('errors' in record) {
			yield record
			continue
		}
		const { line } = record
		const result = normalizeLine({ value: record.value, taskType: options.taskType, maxResponseBytes, extraFields })
		const id = 'item' in result ? result.item.externalId : result.externalId
		const firstLine = id === null ? undefined : firstLineById.get(id)
		if (id !== null && firstLine === undefined) firstLineById.set(id, line)
		const errors = 'errors' in result ? result.errors.map((error) => ({ line, ...error })) : []
		if (firstLine !== undefined) {
			const derived = 'item' in result && result.derivedId
			errors.push({
				line,
				path: derived ? '' : 'id',
				message: derived
					? `duplicate item: line ${firstLine} has the same content (derived id "${id}")`
					: `duplicate id "${id}": already used on line ${firstLine}`,
			})
		}
		if (errors.length > 0) yield { line, errors }
		else if ('item' in result) yield { line, item: result.item }
	}
}
