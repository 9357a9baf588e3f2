import { finished } from 'node:stream/promises'
import { CsvError, parse, type Info } from 'csv-parse'
import { ACCEPTED_SHAPES, SHAPE_MARKER_FIELDS } from './normalize-line.ts'
import { decodeTabularRow } from './tabular-row.ts'
import type { ImportError, RawRecord } from './types.ts'
import { decodeUtf8, toBuffer, withoutBom } from './utf8.ts'

const CARRIAGE_RETURN = 0x0d
const NEWLINE = 0x0a

type CsvEntry = { record: (Buffer | string)[]; info: Info }

function countLineBreaks(fields: (Buffer | string)[]) {
	let breaks = 0
	let crlfPairs = 0
	for (const field of fields) {
		if (typeof field === 'string') continue
		for (let index = 0; index < field.length; index++) {
			const byte = field[index]
			if (byte === NEWLINE) {
				if (field[index - 1] === CARRIAGE_RETURN) crlfPairs += 1
				else breaks += 1
			} else if (byte === CARRIAGE_RETURN) {
				breaks += 1
			}
		}
	}
	return { breaks, crlfPairs }
}

const fileError = (message: string): RawRecord => ({ line: 0, errors: [{ line: 0, path: '', message }] })

function decodeField(field: Buffer | string) {
	return typeof field === 'string' ? { text: field } : decodeUtf8({ bytes: field, unit: 'field' })
}

function readHeader(fields: (Buffer | string)[]): { columns: string[] } | { error: string } {
	const columns: string[] = []
	for (const [index, field] of fields.entries()) {
		const decoded = decodeField(field)
		if ('error' in decoded) return { error: `the header is not valid UTF-8 (column ${index + 1}: ${decoded.error})` }
		columns.push(decoded.text.trim())
	}
	const seen = new Set<string>()
	for (const column of columns) {
		if (column !== '' && seen.has(column)) return { error: `the header names the column "${column}" twice` }
		seen.add(column)
	}
	if (!SHAPE_MARKER_FIELDS.some((column) => seen.has(column))) {
		return {
			error: `the header (${columns.map((column) => `"${column}"`).join(', ')}) has none of the columns an item needs: ${ACCEPTED_SHAPES}`,
		}
	}
	return { columns }
}

function rowRecord({
	line,
	columns,
	fields,
}: {
	line: number
	columns: string[]
	fields: (Buffer | string)[]
}): RawRecord {
	if (fields.length !== columns.length) {
		return {
			line,
			errors: [{ line, path: '', message: `expected ${columns.length} fields as in the header, got ${fields.length}` }],
		}
	}
	const errors: ImportError[] = []
	const entries: [string, string][] = []
	fields.forEach((field, index) => {
		const column = columns[index]
		// Unnamed columns, such as the index pandas writes by default, carry no item data.
		if (!column) return
		const decoded = decodeField(field)
		if ('error' in decoded) errors.push({ line, path: column, message: decoded.error })
		else entries.push([column, decoded.text])
	})
	if (errors.length > 0) return { line, errors }
	const decoded = decodeTabularRow({ entries, chatColumnsMayBeJson: true })
	if ('errors' in decoded) return { line, errors: decoded.errors.map((error) => ({ line, ...error })) }
	return { line, value: decoded.value }
}

function syntaxErrorMessage({ error, maxLineBytes }: { error: CsvError; maxLineBytes: number }) {
	const reason =
		error.code === 'CSV_MAX_RECORD_SIZE'
			? `the record is longer than the limit of ${maxLineBytes} bytes (an unclosed quote can cause this)`
			: error.code === 'CSV_QUOTE_NOT_CLOSED'
				? 'a quoted field opened in this record is never closed'
				: `the file is not valid CSV: ${error.message}`
	return `${reason}; the rest of the file was not read`
}

/**
 * Feeds csv-parse one chunk at a time and hands out the records each chunk completed, so records
 * read before a syntax error are never lost and at most one chunk's records wait in memory.
 */
async function* csvEntries({
	source,
	maxLineBytes,
}: {
	source: AsyncIterable<Uint8Array>
	maxLineBytes: number
}): AsyncGenerator<CsvEntry | CsvError> {
	const completed: CsvEntry[] = []
	const parser = parse({
		encoding: null,
		relax_column_count: true,
		relax_quotes: true,
		skip_empty_lines: true,
		max_record_size: maxLineBytes,
		record_delimiter: ['\r\n', '\n', '\r'],
		on_record: (record: (Buffer | string)[], info: Info) => {
			completed.push({ record, info })
			return null
		},
	})
	const failure = (error: unknown) => {
		if (error instanceof CsvError) return error
		throw error
	}
	// Errors arrive through the write callbacks and `finished`; this keeps them from being unhandled.
	parser.on('error', () => undefined)
	parser.resume()
	try {
		for await (const chunk of withoutBom(source)) {
			const error = await new Promise<Error | null | undefined>((resolve) => parser.write(toBuffer(chunk), resolve))
			yield* completed.splice(0)
			if (error) {
				yield failure(error)
				return
			}
		}
		parser.end()
		const error = await finished(parser, { readable: false }).then(
			() => null,
			(reason: unknown) => reason,
		)
		yield* completed.splice(0)
		if (error) yield failure(error)
	} finally {
		parser.destroy()
	}
}

/**
 * Streams CSV records with a header row. `line` is the physical line where a record starts,
 * counted from the first line after the header, so quoted fields spanning lines keep numbers
 * that match the file. A record over `maxLineBytes` or an unclosed quote ends the read, since
 * the rest of the file cannot be split into records reliably.
 */
export async function* readCsvRecords({
	source,
	maxLineBytes,
}: {
	source: AsyncIterable<Uint8Array>
	maxLineBytes: number
}): AsyncGenerator<RawRecord> {
	let columns: string[] | null = null
	let headerEndLine = 0
	// csv-parse 7 counts a CRLF inside a quoted field as two lines; this undoes that.
	let overcount = 0
	let lastEndLine = 0
	let lastEmptyLines = 0
	let rows = 0
	for await (const entry of csvEntries({ source, maxLineBytes })) {
		if (entry instanceof CsvError) {
			const emptyLines = typeof entry.empty_lines === 'number' ? entry.empty_lines - lastEmptyLines : 0
			const line = columns === null ? 0 : lastEndLine + 1 + emptyLines - headerEndLine
			yield { line, errors: [{ line, path: '', message: syntaxErrorMessage({ error: entry, maxLineBytes }) }] }
			return
		}
		const { breaks, crlfPairs } = countLineBreaks(entry.record)
		overcount += crlfPairs
		const endLine = entry.info.lines - overcount
		const startLine = endLine - breaks
		lastEndLine = endLine
		lastEmptyLines = entry.info.empty_lines
		if (columns === null) {
			const header = readHeader(entry.record)
			if ('error' in header) {
				yield fileError(header.error)
				return
			}
			columns = header.columns
			headerEndLine = endLine
			continue
		}
		const [only] = entry.record
		if (entry.record.length === 1 && columns.length > 1 && only !== undefined && only.toString().trim() === '') continue
		rows += 1
		yield rowRecord({ line: startLine - headerEndLine, columns, fields: entry.record })
	}
	if (columns === null) yield fileError('the file is empty')
	else if (rows === 0) yield fileError('the file has a header row but no data rows')
}
