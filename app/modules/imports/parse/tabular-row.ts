import { isPlainObject } from './json-values.ts'
import type { FieldError } from './types.ts'

const JSON_COLUMNS = new Set(['responses', 'messages', 'metadata'])

const CHAT_COLUMNS = new Set(['prompt', 'chosen', 'rejected'])

function parseJson({ column, text }: { column: string; text: string }): { value: unknown } | { error: FieldError } {
	try {
		return { value: JSON.parse(text) }
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error)
		return { error: { path: column, message: `expected JSON in this column: ${reason}` } }
	}
}

const looksLikeMessages = (value: unknown) =>
	Array.isArray(value) && value.length > 0 && value.every((entry) => isPlainObject(entry) && 'role' in entry)

/**
 * Tabular files carry nested fields as JSON text: `responses`, `messages` and `metadata` always,
 * `gold` when it is not a bare response id, and in CSV `prompt`, `chosen` and `rejected` when they
 * hold a JSON list of chat messages (any other text is kept as it is).
 */
export function decodeTabularValue({
	column,
	value,
	chatColumnsMayBeJson,
}: {
	column: string
	value: unknown
	chatColumnsMayBeJson: boolean
}): { value: unknown } | { error: FieldError } {
	if (typeof value !== 'string') return { value }
	if (JSON_COLUMNS.has(column)) return parseJson({ column, text: value })
	const start = value.trimStart()[0]
	if (column === 'gold' && (start === '{' || start === '[' || start === '"')) return parseJson({ column, text: value })
	if (chatColumnsMayBeJson && CHAT_COLUMNS.has(column) && start === '[') {
		const parsed = parseJson({ column, text: value })
		if ('value' in parsed && looksLikeMessages(parsed.value)) return parsed
	}
	return { value }
}

/** Builds the record for one row; empty cells and nulls count as absent fields. */
export function decodeTabularRow({
	entries,
	chatColumnsMayBeJson,
}: {
	entries: Iterable<[string, unknown]>
	chatColumnsMayBeJson: boolean
}): { value: Record<string, unknown> } | { errors: FieldError[] } {
	const record: [string, unknown][] = []
	const errors: FieldError[] = []
	for (const [column, raw] of entries) {
		if (raw === '' || raw === null || raw === undefined) continue
		const decoded = decodeTabularValue({ column, value: raw, chatColumnsMayBeJson })
		if ('error' in decoded) errors.push(decoded.error)
		else record.push([column, decoded.value])
	}
	return errors.length > 0 ? { errors } : { value: Object.fromEntries(record) }
}
