import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { buildExport } from '#app/modules/exports/build-export.server.ts'
import type { ExportRequestInput } from '#app/modules/exports/export.schema.ts'
import { getExport } from '#app/modules/exports/get-export.server.ts'
import { requestExport } from '#app/modules/exports/request-export.server.ts'
import type { Manifest } from '#exports/manifest.ts'

/** Requests an export the way the API does and builds it in this process, as the worker would. */
export async function exportNow({
	slug,
	user,
	request,
	exportRoot,
}: {
	slug: string
	user: SessionUser
	request: ExportRequestInput
	exportRoot: string
}) {
	const created = await requestExport({ slug, user, input: request })
	const result = await buildExport({ exportId: created.id })
	const view = await getExport({ exportId: created.id, user, withManifest: true })
	return {
		id: created.id,
		result,
		view,
		dir: path.join(exportRoot, created.id),
		manifest: view.manifest as unknown as Manifest,
	}
}

/** Recomputes every file's SHA-256 and size and compares them with the manifest. */
export async function checksumMismatches({ dir, manifest }: { dir: string; manifest: Manifest }) {
	const onDisk = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest
	const mismatches: string[] = []
	if (JSON.stringify(onDisk.files) !== JSON.stringify(manifest.files))
		mismatches.push('manifest.json differs from the recorded manifest')
	for (const file of onDisk.files) {
		const bytes = await readFile(path.join(dir, file.path))
		const sha256 = createHash('sha256').update(bytes).digest('hex')
		if (sha256 !== file.sha256 || bytes.length !== file.bytes) mismatches.push(file.path)
	}
	return mismatches
}

/** DuckDB as the independent reader of the Parquet files. */
export async function openDuck() {
	const instance = await DuckDBInstance.create(':memory:')
	const connection: DuckDBConnection = await instance.connect()
	const quoted = (file: string) => `'${file.replaceAll("'", "''")}'`
	return {
		async columns(file: string) {
			const rows = (
				await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoted(file)})`)
			).getRowObjectsJson()
			return Object.fromEntries(rows.map((row) => [String(row.column_name), String(row.column_type)]))
		},
		async rows(file: string): Promise<Array<Record<string, unknown>>> {
			const rows = (
				await connection.runAndReadAll(`SELECT to_json(t)::VARCHAR AS row FROM read_parquet(${quoted(file)}) t`)
			).getRowObjectsJson()
			return rows.map((row) => JSON.parse(String(row.row)) as Record<string, unknown>)
		},
		close() {
			connection.closeSync()
			instance.closeSync()
		},
	}
}

export async function jsonlRows(file: string) {
	return (await readFile(file, 'utf8'))
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as Record<string, unknown>)
}

/**
 * Test files share a database per Vitest worker, so earlier files may have left export jobs in
 * the queue; a test that runs a worker starts from an empty export queue.
 */
export async function clearExportQueue() {
	const { prisma } = await import('#app/utils/db.server.ts')
	const [queue] = await prisma.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS exists`
	if (queue?.exists) await prisma.$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name = 'export.build'`)
	await prisma.export.updateMany({
		where: { status: { in: ['queued', 'running'] } },
		data: { status: 'cancelled', cancelledAt: new Date() },
	})
}
