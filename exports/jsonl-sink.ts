import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import type { Writable } from 'node:stream'
import { createGzip } from 'node:zlib'
import type { RowSink } from './parquet-sink.ts'
import type { Field, Row } from './types.ts'

/** One JSON object per line with keys in column order; gzip output has a zero mtime, so reruns match. */
export async function openJsonlSink({
	path,
	columns,
	gzip,
}: {
	path: string
	columns: Field[]
	gzip: boolean
}): Promise<RowSink> {
	const file = createWriteStream(path, { flags: 'wx' })
	await once(file, 'open')
	const gz = gzip ? createGzip() : null
	if (gz) gz.pipe(file)
	const head: Writable = gz ?? file
	let failure: Error | null = null
	const fail = (error: Error) => {
		failure ??= error
	}
	file.on('error', fail)
	gz?.on('error', fail)

	return {
		write(row) {
			if (failure) return Promise.reject(failure)
			const ordered: Row = {}
			for (const column of columns) ordered[column.name] = row[column.name] ?? null
			if (!head.write(`${JSON.stringify(ordered)}\n`)) return once(head, 'drain').then(() => {})
		},
		async close() {
			if (failure) throw failure
			head.end()
			await finished(file)
		},
		async abort() {
			gz?.destroy()
			file.destroy()
			await finished(file).catch(() => {})
		},
	}
}
