import type { CanonicalItem, ImportError, ParsedLine } from './types.ts'

/** Yields the text's UTF-8 bytes in chunks of `chunkSize`, splitting lines and characters anywhere. */
export async function* bytesOf(text: string | Uint8Array, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
	const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
	for (let start = 0; start < bytes.length; start += chunkSize) yield bytes.subarray(start, start + chunkSize)
}

export async function collect(lines: AsyncIterable<ParsedLine>) {
	const items: (CanonicalItem & { line: number })[] = []
	const errors: ImportError[] = []
	for await (const parsed of lines) {
		if ('item' in parsed) items.push({ line: parsed.line, ...parsed.item })
		else errors.push(...parsed.errors)
	}
	return { items, errors }
}

export const jsonLines = (...values: unknown[]) => values.map((value) => JSON.stringify(value)).join('\n') + '\n'
