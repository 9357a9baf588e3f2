import type { ExportStatus } from '#app/generated/prisma/enums.ts'
import type { ManifestFile } from '#exports/manifest.ts'

export type ExportRecord = {
	id: string
	format: string
	formatVersion: number | null
	options: unknown
	status: ExportStatus
	progress: number
	rowsTotal: number | null
	rowsWritten: number
	counts: unknown
	files: unknown
	manifest: unknown
	error: string | null
	path: string | null
	createdAt: Date
	startedAt: Date | null
	finishedAt: Date | null
	cancelledAt: Date | null
	project: { slug: string; name: string }
	requestedBy: { displayName: string } | null
}

export type ExportView = ReturnType<typeof serializeExport>

/** What the API and the pages show of an export; the server path never leaves the server. */
export function serializeExport(record: ExportRecord, { withManifest = false }: { withManifest?: boolean } = {}) {
	return {
		id: record.id,
		project: { slug: record.project.slug, name: record.project.name },
		format: record.format,
		formatVersion: record.formatVersion,
		options: record.options as Record<string, unknown>,
		status: record.status,
		progress: record.status === 'succeeded' ? 1 : record.progress,
		rows: record.rowsWritten,
		counts: (record.counts ?? null) as {
			train: number
			test: number
			judgments: number
			skipped: Record<string, number>
		} | null,
		files: (record.files ?? []) as ManifestFile[],
		/** The files are on disk and can be downloaded (not yet pruned). */
		available: record.status === 'succeeded' && record.path !== null,
		...(record.error ? { error: record.error } : {}),
		requestedBy: record.requestedBy?.displayName ?? null,
		createdAt: record.createdAt.toISOString(),
		startedAt: record.startedAt?.toISOString() ?? null,
		finishedAt: record.finishedAt?.toISOString() ?? null,
		cancelledAt: record.cancelledAt?.toISOString() ?? null,
		...(withManifest ? { manifest: (record.manifest ?? null) as Record<string, unknown> | null } : {}),
	}
}

export const exportInclude = {
	project: { select: { slug: true, name: true } },
	requestedBy: { select: { displayName: true } },
} as const
