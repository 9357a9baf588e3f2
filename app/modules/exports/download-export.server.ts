import { stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { conflict, notFound } from '#app/utils/errors.ts'
import { exportDir } from '#app/utils/env.server.ts'
import { tarGzDataset } from '#exports/tar-gz.ts'
import { loadExportForUser } from './get-export.server.ts'

/** A readable, file-system-safe name: `<project>-<format>-<first 8 of the id>`. */
export function archiveBaseName({ slug, format, exportId }: { slug: string; format: string; exportId: string }) {
	return `${slug}-${format}-${exportId.slice(0, 8)}`.replace(/[^\w.-]+/g, '-')
}

/** Streams a finished export as a .tar.gz (the same bytes for the same folder, every time). */
export async function openExportArchive({
	exportId,
	user,
}: {
	exportId: string
	user: SessionUser
}): Promise<{ stream: Readable; filename: string }> {
	const record = await loadExportForUser({ exportId, user })
	if (record.status !== 'succeeded')
		throw conflict(`The export is ${record.status}; only a succeeded export can be downloaded`, {
			reason: `export_${record.status}`,
		})
	if (!record.path)
		throw notFound('The files of this export were pruned after the retention period; run the export again')
	const dir = path.resolve(exportDir(), record.path)
	const info = await stat(dir).catch(() => null)
	if (!info?.isDirectory())
		throw notFound('The files of this export are missing from the export directory; run the export again')
	const base = archiveBaseName({ slug: record.project.slug, format: record.format, exportId })
	return {
		stream: tarGzDataset({ dir, root: base, mtime: record.finishedAt ?? undefined }),
		filename: `${base}.tar.gz`,
	}
}

export function archiveResponse({ stream, filename }: { stream: Readable; filename: string }) {
	return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
		status: 200,
		headers: {
			'Content-Type': 'application/gzip',
			'Content-Disposition': `attachment; filename="${filename}"`,
			'Cache-Control': 'no-store',
		},
	})
}
