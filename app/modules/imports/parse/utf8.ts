const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const BOM = [0xef, 0xbb, 0xbf]

export type DecodeResult = { text: string } | { error: string }

/** The 1-based byte at which decoding fails, found by bisecting prefixes in streaming mode. */
function invalidByteNumber(bytes: Uint8Array): number {
	let valid = 0
	let invalid = bytes.length
	while (invalid - valid > 1) {
		const middle = (valid + invalid) >>> 1
		try {
			new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true })
			valid = middle
		} catch {
			invalid = middle
		}
	}
	return invalid
}

export function decodeUtf8({ bytes, unit }: { bytes: Uint8Array; unit: 'line' | 'field' }): DecodeResult {
	try {
		return { text: fatalDecoder.decode(bytes) }
	} catch {
		return { error: `invalid UTF-8 at byte ${invalidByteNumber(bytes)} of the ${unit}; save the file as UTF-8` }
	}
}

export function toBuffer(chunk: Uint8Array): Buffer {
	return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
}

/** Drops a UTF-8 byte order mark at the very start of a byte stream, even when split across chunks. */
export async function* withoutBom(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
	let head: Uint8Array<ArrayBufferLike> = new Uint8Array(0)
	let decided = false
	for await (const chunk of source) {
		if (decided) {
			yield chunk
			continue
		}
		head = head.length === 0 ? chunk : Buffer.concat([head, chunk])
		const probe = Math.min(head.length, BOM.length)
		if (!BOM.slice(0, probe).every((byte, index) => head[index] === byte)) {
			decided = true
			yield head
		} else if (head.length >= BOM.length) {
			decided = true
			if (head.length > BOM.length) yield head.subarray(BOM.length)
		}
	}
	if (!decided && head.length > 0) yield head
}
