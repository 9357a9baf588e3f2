import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { AnnotatorTableQuerySchema } from './analytics.schema.ts'
import type { AnnotatorRow } from './analytics.types.ts'
import { getProjectAnalytics } from './get-project-analytics.server.ts'

const sortValue: Record<string, (row: AnnotatorRow) => number | string | null> = {
	displayName: (row) => row.displayName.toLowerCase(),
	judgments: (row) => row.judgments,
	looAgreement: (row) => row.looAgreement,
	goldAccuracy: (row) => row.goldAccuracy,
	positionRate: (row) => row.positionRate,
	lengthRate: (row) => row.lengthRate,
	medianActiveMs: (row) => row.medianActiveMs,
	flags: (row) => row.flags.length,
}

/**
 * The quality page: agreement figures, a sorted page of the annotator table (unknown values
 * last whatever the direction) and the Cohen's kappa pairs for the heatmap.
 */
export async function getQuality({ slug, user, query }: { slug: string; user: SessionUser; query: unknown }) {
	const { sort, dir, page, pageSize } = AnnotatorTableQuerySchema.parse(query)
	const result = await getProjectAnalytics({ slug, user, kinds: ['agreement', 'annotators'] })
	const data = result.data
	const value = sortValue[sort]!
	const rows = [...(data?.annotators.annotators ?? [])].sort((a, b) => {
		const x = value(a)
		const y = value(b)
		if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1
		const order = x < y ? -1 : x > y ? 1 : 0
		return (dir === 'asc' ? order : -order) || a.displayName.localeCompare(b.displayName)
	})
	return {
		project: result.project,
		computedAt: result.computedAt,
		canRecompute: result.canRecompute,
		agreement: data?.agreement ?? null,
		annotators: data ? { ...data.annotators, annotators: undefined } : null,
		table: { rows: rows.slice((page - 1) * pageSize, page * pageSize), total: rows.length },
		everyone: rows.map((row) => ({ userId: row.userId, displayName: row.displayName })),
	}
}
