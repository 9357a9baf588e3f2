import type { RawRecord } from './types.ts'
import { decodeUtf8, withoutBom } from './utf8.ts'

const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d

function parseJsonLine(text: string): { value: unknown } | { error: string } {
	try {
		return { value: JSON.parse(text) }
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error)
		const position = /^(.*?)(?: in JSON)? at position (\d+)/.exec(message)
		if (position?.[1] !== undefined && position[2] !== undefined) {
			return { error: `invalid JSON at column ${Number(position[2]) + 1}: ${position[1]}` }
		}
		return { error: `invalid JSON: ${message}` }
	}
}

function lineRecord({ line, bytes }: { line: number; bytes: Uint8Array }): RawRecord | null {
	const end = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length
	const decoded = decodeUtf8({ bytes: bytes.subarray(0, end), unit: 'line' })
	if ('error' in decoded) return { line, errors: [{ line, path: '', message: decoded.error }] }
	// A byte order mark may open any line when files were concatenated.
	const text = decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text
	if (text.trim() === '') return null
	const parsed = parseJsonLine(text)
	if ('error' in parsed) return { line, errors: [{ line, path: '', message: parsed.error }] }
	return { line, value: parsed.value }
}

/**
 * Splits a byte stream into JSON lines without holding more than one line (up to `maxLineBytes`)
 * plus the current chunk. Blank lines are skipped but still counted.
 */
export async function* readJsonlRecords({
	source,
	maxLineBytes,
}: {
	source: AsyncIterable<Uint8Array>
	maxLineBytes: number
}): AsyncGenerator<RawRecord> {
	let line = 0
	let pending: Uint8Array[] = []
	let pendingBytes = 0
	let tooLong = false
	let sawBytes = false
	let records = 0

	const takeLine = (): RawRecord | null => {
		line += 1
		if (tooLong) {
			tooLong = false
			return {
				line,
				errors: [{ line, path: '', message: `the line is longer than the limit of ${maxLineBytes} bytes` }],
			}
		}
		const bytes = pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending)
		pending = []
		pendingBytes = 0
		return lineRecord({ line, bytes })
	}

	const append = (piece: Uint8Array, copy: boolean) => {
		if (tooLong || piece.length === 0) return
		if (pendingBytes + piece.length > maxLineBytes) {
			tooLong = true
			pending = []
			pendingBytes = 0
			return
		}
		// A piece that outlives its chunk is copied, in case the source reuses its buffers.
		pending.push(copy ? piece.slice() : piece)
		pendingBytes += piece.length
	}

	for await (const chunk of withoutBom(source)) {
		if (chunk.length > 0) sawBytes = true
		let start = 0
		while (start <= chunk.length) {
			const newline = chunk.indexOf(NEWLINE, start)
			if (newline === -1) {
				append(chunk.subarray(start), true)
				break
			}
			append(chunk.subarray(start, newline), false)
			const record = takeLine()
			if (record) {
				records += 1
				yield record
			}
			start = newline + 1
		}
	}
	if (pendingBytes > 0 || tooLong) {
		const record = takeLine()
		if (record) {
			records += 1
			yield record
		}
	}
	if (records === 0) {
		const message = sawBytes ? 'the file is empty: it has only blank lines' : 'the file is empty'
		yield { line: 0, errors: [{ line: 0, path: '', message }] }
	}
}
