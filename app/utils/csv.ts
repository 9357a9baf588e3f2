export type CsvCell = string | number | boolean | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

function cell(value: CsvCell): string {
	if (value === null || value === undefined) return ''
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
	if (typeof value === 'boolean') return value ? 'true' : 'false'
	// Text that a spreadsheet would evaluate as a formula (model names, ids, prompts are user
	// content) is kept as text with a leading apostrophe.
	const text = FORMULA_START.test(value) ? `'${value}` : value
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** RFC 4180 CSV with CRLF line ends and a header row. */
export function toCsv({ header, rows }: { header: readonly string[]; rows: readonly (readonly CsvCell[])[] }): string {
	return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'
}
