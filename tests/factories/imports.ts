import { importFile } from '#app/modules/imports/import-file.server.ts'
import type { ImportFormat } from '#app/modules/imports/parse/types.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'

/** Bytes in chunks that split lines and characters anywhere, as a network would. */
export async function* chunksOf(data: string | Uint8Array, chunkSize = 4096): AsyncGenerator<Uint8Array> {
	const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
	for (let start = 0; start < bytes.length; start += chunkSize) yield bytes.subarray(start, start + chunkSize)
}

export const jsonl = (...values: unknown[]) => values.map((value) => JSON.stringify(value)).join('\n') + '\n'

export const pairwiseLine = (id: string | number, extra: Record<string, unknown> = {}) => ({
	id: String(id),
	prompt: `Prompt ${id}`,
	response_a: `Answer A to ${id}`,
	response_b: `Answer B to ${id}`,
	model_a: 'model-a',
	model_b: 'model-b',
	...extra,
})

export function importText({
	slug,
	user,
	format = 'jsonl',
	data,
	skipInvalid,
}: {
	slug: string
	user: SessionUser
	format?: ImportFormat
	data: string | Uint8Array
	skipInvalid?: boolean
}) {
	return importFile({ slug, user, format, source: chunksOf(data), skipInvalid })
}
