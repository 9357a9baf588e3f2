import { hash } from 'node:crypto'

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785 does) and no whitespace, so equal
 * content always serializes, and hashes, the same way whatever the key order in the file.
 */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
	if (Array.isArray(value)) {
		let out = '['
		for (let index = 0; index < value.length; index++) {
			if (index > 0) out += ','
			out += value[index] === undefined ? 'null' : canonicalJson(value[index])
		}
		return `${out}]`
	}
	const record = value as Record<string, unknown>
	const keys = Object.keys(record).sort()
	let out = '{'
	for (const key of keys) {
		const entry = record[key]
		if (entry === undefined) continue
		if (out.length > 1) out += ','
		out += `${JSON.stringify(key)}:${canonicalJson(entry)}`
	}
	return `${out}}`
}

export function sha256Hex(text: string): string {
	return hash('sha256', text, 'hex')
}
