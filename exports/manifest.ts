import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import type { FormatName } from './formats/index.ts'
import type { canonicalOptions } from './options.ts'
import type { SkipCounts } from './types.ts'

export type ManifestFile = { path: string; bytes: number; sha256: string }

export type Manifest = {
	exportId: string
	format: FormatName
	formatVersion: number
	options: ReturnType<typeof canonicalOptions>
	snapshotAt: string
	quorumVersion: string
	counts: { train: number; test: number; judgments: number; skipped: SkipCounts }
	files: ManifestFile[]
}

/** Fixed key order and two-space indentation, so identical exports give identical bytes. */
export function serializeManifest(manifest: Manifest) {
	const ordered: Manifest = {
		exportId: manifest.exportId,
		format: manifest.format,
		formatVersion: manifest.formatVersion,
		options: manifest.options,
		snapshotAt: manifest.snapshotAt,
		quorumVersion: manifest.quorumVersion,
		counts: {
			train: manifest.counts.train,
			test: manifest.counts.test,
			judgments: manifest.counts.judgments,
			skipped: manifest.counts.skipped,
		},
		files: manifest.files.map((file) => ({ path: file.path, bytes: file.bytes, sha256: file.sha256 })),
	}
	return `${JSON.stringify(ordered, null, 2)}\n`
}

/** Hashes a written file and flushes it to disk before the folder is renamed into place. */
export async function describeFile({
	absolutePath,
	path,
}: {
	absolutePath: string
	path: string
}): Promise<ManifestFile> {
	const file = await open(absolutePath, 'r+')
	try {
		const hash = createHash('sha256')
		let bytes = 0
		for await (const chunk of file.createReadStream({ autoClose: false, start: 0 })) {
			hash.update(chunk as Buffer)
			bytes += (chunk as Buffer).length
		}
		await file.sync()
		return { path, bytes, sha256: hash.digest('hex') }
	} finally {
		await file.close()
	}
}
