import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { tarGzDataset } from './tar-gz.ts'

type Entry = { name: string; type: string; size: number; mode: number; mtime: number; body: Buffer }

function octal(field: Buffer) {
	return parseInt(field.toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8)
}

function text(field: Buffer) {
	return field.toString('utf8').replace(/\0.*$/s, '')
}

/** A strict ustar reader: checks magic and checksum of every header. */
function readTar(archive: Buffer): Entry[] {
	const entries: Entry[] = []
	let offset = 0
	while (offset < archive.length) {
		const header = archive.subarray(offset, offset + 512)
		if (header.every((byte) => byte === 0)) break
		expect(text(header.subarray(257, 263))).toBe('ustar')
		const stored = octal(header.subarray(148, 156))
		const copy = Buffer.from(header)
		copy.fill(' ', 148, 156)
		expect(copy.reduce((sum, byte) => sum + byte, 0)).toBe(stored)
		const prefix = text(header.subarray(345, 500))
		const name = (prefix ? `${prefix}/` : '') + text(header.subarray(0, 100))
		const size = octal(header.subarray(124, 136))
		const body = archive.subarray(offset + 512, offset + 512 + size)
		entries.push({
			name,
			type: String.fromCharCode(header[156]!),
			size,
			mode: octal(header.subarray(100, 108)),
			mtime: octal(header.subarray(136, 148)),
			body,
		})
		offset += 512 + Math.ceil(size / 512) * 512
	}
	expect(archive.length % 512).toBe(0)
	return entries
}

let dir: string
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'quorum-tar-'))
	const dataset = join(dir, 'export-42')
	await mkdir(join(dataset, 'data'), { recursive: true })
	await writeFile(join(dataset, 'README.md'), '# Card\n')
	await writeFile(join(dataset, 'manifest.json'), '{}\n')
	await writeFile(join(dataset, 'data', 'train-00000-of-00001.parquet'), Buffer.alloc(1500, 7))
	await writeFile(join(dataset, 'data', 'empty.jsonl'), '')
	const deep = join(dataset, 'a'.repeat(60), 'b'.repeat(60))
	await mkdir(deep, { recursive: true })
	await writeFile(join(deep, 'file.txt'), 'deep')
})
afterAll(async () => {
	await rm(dir, { recursive: true, force: true })
})

describe('tarGzDataset', () => {
	test('streams every file under the folder name, sorted, with contents intact', async () => {
		const entries = readTar(gunzipSync(await buffer(tarGzDataset({ dir: join(dir, 'export-42') }))))
		expect(entries.map((entry) => `${entry.type} ${entry.name}`)).toEqual([
			'5 export-42/',
			'0 export-42/README.md',
			`5 export-42/${'a'.repeat(60)}/`,
			`5 export-42/${'a'.repeat(60)}/${'b'.repeat(60)}/`,
			`0 export-42/${'a'.repeat(60)}/${'b'.repeat(60)}/file.txt`,
			'5 export-42/data/',
			'0 export-42/data/empty.jsonl',
			'0 export-42/data/train-00000-of-00001.parquet',
			'0 export-42/manifest.json',
		])
		const parquet = entries.find((entry) => entry.name.endsWith('.parquet'))!
		expect(parquet.body.equals(Buffer.alloc(1500, 7))).toBe(true)
		expect(entries.find((entry) => entry.name.endsWith('README.md'))!.body.toString()).toBe('# Card\n')
		expect(new Set(entries.map((entry) => entry.mtime))).toEqual(new Set([0]))
		expect(entries.find((entry) => entry.name === 'export-42/')!.mode).toBe(0o755)
		expect(parquet.mode).toBe(0o644)
	})

	test('gives identical bytes every time, and uses the given root and mtime', async () => {
		const first = await buffer(tarGzDataset({ dir: join(dir, 'export-42') }))
		const second = await buffer(tarGzDataset({ dir: join(dir, 'export-42') }))
		expect(first.equals(second)).toBe(true)
		const named = readTar(
			gunzipSync(
				await buffer(
					tarGzDataset({ dir: join(dir, 'export-42'), root: 'dataset', mtime: new Date('2026-03-02T00:00:00Z') }),
				),
			),
		)
		expect(named[0]).toMatchObject({ name: 'dataset/', mtime: Date.parse('2026-03-02T00:00:00Z') / 1000 })
	})

	test('fails the stream when the folder is missing', async () => {
		await expect(buffer(tarGzDataset({ dir: join(dir, 'missing') }))).rejects.toThrow(/ENOENT/)
	})
})
