import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { createGzip } from 'node:zlib'

const block = 512
const maxOctalSize = 0o77777777777

function writeString(header: Buffer, offset: number, length: number, value: string) {
	const bytes = Buffer.from(value, 'utf8')
	if (bytes.length > length) throw new Error(`tar: "${value}" does not fit in ${length} bytes`)
	bytes.copy(header, offset)
}

function writeOctal(header: Buffer, offset: number, length: number, value: number) {
	writeString(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`)
}

/** Splits a long path into ustar's prefix (155 bytes) and name (100 bytes) at a slash. */
function splitPath(path: string): [prefix: string, name: string] {
	if (Buffer.byteLength(path) <= 100) return ['', path]
	for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
		const prefix = path.slice(0, i)
		const name = path.slice(i + 1)
		if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name]
	}
	throw new Error(`tar: path too long for ustar: ${path}`)
}

function header({ path, size, directory, mtime }: { path: string; size: number; directory: boolean; mtime: number }) {
	const buffer = Buffer.alloc(block)
	const [prefix, name] = splitPath(path)
	writeString(buffer, 0, 100, name)
	writeOctal(buffer, 100, 8, directory ? 0o755 : 0o644)
	writeOctal(buffer, 108, 8, 0)
	writeOctal(buffer, 116, 8, 0)
	if (size <= maxOctalSize) {
		writeOctal(buffer, 124, 12, size)
	} else {
		// GNU base-256 size for files of 8 GiB and more
		buffer[124] = 0x80
		buffer.writeBigUInt64BE(BigInt(size), 128)
	}
	writeOctal(buffer, 136, 12, mtime)
	buffer.fill(' ', 148, 156)
	buffer[156] = directory ? 0x35 : 0x30
	writeString(buffer, 257, 6, 'ustar\0')
	writeString(buffer, 263, 2, '00')
	writeString(buffer, 345, 155, prefix)
	let checksum = 0
	for (const byte of buffer) checksum += byte
	writeString(buffer, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `)
	return buffer
}

async function listTree(dir: string, relative = ''): Promise<Array<{ path: string; directory: boolean }>> {
	const entries = await readdir(join(dir, relative), { withFileTypes: true })
	entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
	const out: Array<{ path: string; directory: boolean }> = []
	for (const entry of entries) {
		const path = relative ? `${relative}/${entry.name}` : entry.name
		if (entry.isDirectory()) {
			out.push({ path, directory: true }, ...(await listTree(dir, path)))
		} else if (entry.isFile()) {
			out.push({ path, directory: false })
		}
	}
	return out
}

async function* tarChunks({ dir, root, mtime }: { dir: string; root: string; mtime: number }) {
	yield header({ path: `${root}/`, size: 0, directory: true, mtime })
	for (const entry of await listTree(dir)) {
		const path = `${root}/${entry.path}`
		if (entry.directory) {
			yield header({ path: `${path}/`, size: 0, directory: true, mtime })
			continue
		}
		const absolute = join(dir, entry.path)
		const { size } = await stat(absolute)
		yield header({ path, size, directory: false, mtime })
		let written = 0
		for await (const chunk of createReadStream(absolute)) {
			written += (chunk as Buffer).length
			yield chunk as Buffer
		}
		if (written !== size) throw new Error(`tar: ${path} changed while being archived`)
		if (size % block !== 0) yield Buffer.alloc(block - (size % block))
	}
	yield Buffer.alloc(block * 2)
}

/**
 * Streams a dataset folder as a .tar.gz with entries under `root/` (the folder's name by
 * default), sorted, owned by 0:0 and stamped `mtime` (the epoch by default), so the same
 * folder always gives the same bytes.
 */
export function tarGzDataset({ dir, root, mtime }: { dir: string; root?: string; mtime?: Date }): Readable {
	const absolute = resolve(dir)
	const source = Readable.from(
		tarChunks({ dir: absolute, root: root ?? basename(absolute), mtime: Math.floor((mtime?.getTime() ?? 0) / 1000) }),
	)
	const gzip = createGzip()
	source.on('error', (error) => gzip.destroy(error))
	return source.pipe(gzip)
}
