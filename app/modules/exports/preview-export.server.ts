import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { columnsFor, getDatasetFormat } from '#exports/formats/index.ts'
import { createRowPipeline } from '#exports/pipeline.ts'
import { ExportOptionsSchema } from '#exports/options.ts'
import type { Row, SourceJudgment, SplitName } from '#exports/types.ts'
import { splitRequestOptions } from './export.schema.ts'
import { openExportSource } from './export-source.server.ts'
import { parseExportRequest } from './request-export.server.ts'

const SAMPLE_ITEMS = 200
const PREVIEW_ROWS = 10

/**
 * The first rows an export would produce and the counts to expect, from the first items of the
 * project (exact when those are all of them, else extrapolated from that sample).
 */
export async function previewExport({ slug, user, input }: { slug: string; user: SessionUser; input: unknown }) {
	assertPermission(user, 'create:exports')
	const project = await getProjectForUser({ slug, user, access: 'read' })
	const request = parseExportRequest(input)
	const format = getDatasetFormat({ name: request.format })
	const { options, minGoldAccuracy } = splitRequestOptions(request.options)
	let itemsRead = 0
	const source = await openExportSource({
		projectId: project.id,
		options,
		details: format.readsDetails,
		reliability: format.readsReliability ?? false,
		minGoldAccuracy,
		limitItems: SAMPLE_ITEMS,
		batchItems: SAMPLE_ITEMS,
		afterBatch: async (progress) => {
			itemsRead = progress.itemsRead
		},
	})
	const sample: SourceJudgment[] = []
	let counts
	try {
		for await (const records of source.records) sample.push(...records)
		counts = await source.counts
	} finally {
		await source.close()
	}
	const pipeline = createRowPipeline({
		format,
		options: ExportOptionsSchema.parse({ ...options, excludeAnnotators: source.excludeAnnotators }),
	})
	const rows: Array<{ split: SplitName; row: Row }> = []
	const sampleCounts: Record<SplitName, number> = { train: 0, test: 0 }
	for (const record of sample) {
		for (const out of pipeline.push(record)) {
			sampleCounts[out.split]++
			if (rows.length < PREVIEW_ROWS) rows.push(out)
		}
	}
	const summary = pipeline.summary()
	const exact = itemsRead < SAMPLE_ITEMS || counts.items <= SAMPLE_ITEMS
	const scale = exact || summary.judgmentsRead === 0 ? 1 : counts.records / summary.judgmentsRead
	const estimate = (n: number) => Math.round(n * scale)
	return {
		format: { name: format.name, title: format.title, version: format.version },
		columns: columnsFor({ format, options: ExportOptionsSchema.parse(options) }).map((column) => column.name),
		rows,
		source: {
			items: counts.items,
			judgments: counts.judgments,
			adjudicatedItems: counts.adjudicatedItems,
			records: counts.records,
		},
		sample: {
			records: summary.judgmentsRead,
			kept: summary.judgmentsKept,
			train: sampleCounts.train,
			test: sampleCounts.test,
			skipped: summary.skipped,
		},
		expected: {
			exact,
			train: estimate(sampleCounts.train),
			test: estimate(sampleCounts.test),
			total: estimate(sampleCounts.train + sampleCounts.test),
		},
		excludeAnnotators: source.excludeAnnotators,
		goldAccuracy: source.goldAccuracy,
	}
}

export type ExportPreview = Awaited<ReturnType<typeof previewExport>>
