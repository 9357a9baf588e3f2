import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { AnnotatorTableQuerySchema } from './analytics.schema.ts'
import type { AnnotatorRow, DawidSkeneAnnotator } from './analytics.types.ts'
import { getProjectAnalytics } from './get-project-analytics.server.ts'
import { readJudging } from './judging-settings.ts'
import { withKinds } from './with-kinds.ts'

/** An annotator row with their Dawid–Skene reliability (null before any refresh computed it). */
export type QualityRow = AnnotatorRow & {
	reliability: number | null
	reliabilityChance: number | null
	nearChance: boolean
}

/** Items of the Dawid–Skene list shown on the page; the API and the download have them all. */
const DAWID_SKENE_ITEMS_SHOWN = 50

const sortValue: Record<string, (row: QualityRow) => number | string | null> = {
	displayName: (row) => row.displayName.toLowerCase(),
	judgments: (row) => row.judgments,
	looAgreement: (row) => row.looAgreement,
	goldAccuracy: (row) => row.goldAccuracy,
	reliability: (row) => row.reliability,
	positionRate: (row) => row.positionRate,
	lengthRate: (row) => row.lengthRate,
	medianActiveMs: (row) => row.medianActiveMs,
	flags: (row) => row.flags.length + (row.nearChance ? 1 : 0),
}

/**
 * The quality page: agreement figures, a sorted page of the annotator table (unknown values
 * last whatever the direction) with each annotator's Dawid–Skene reliability, the Cohen's kappa
 * pairs for the heatmap, and the Dawid–Skene consensus of the items it is least sure of.
 */
export async function getQuality({ slug, user, query }: { slug: string; user: SessionUser; query: unknown }) {
	const { sort, dir, page, pageSize } = AnnotatorTableQuerySchema.parse(query)
	const result = await getProjectAnalytics({ slug, user, kinds: ['agreement', 'annotators', 'dawid-skene'] })
	const data = result.data
	const value = sortValue[sort]!
	const dawidSkene = data?.['dawid-skene'] ?? null
	const reliabilities = new Map<string, DawidSkeneAnnotator>(
		(dawidSkene?.annotators ?? []).map((row) => [row.userId, row]),
	)
	const joined: QualityRow[] = (data ? withKinds(data.annotators).annotators : []).map((row) => {
		const ds = reliabilities.get(row.userId)
		return {
			...row,
			reliability: ds?.reliability ?? null,
			reliabilityChance: ds?.chance ?? null,
			nearChance: ds?.nearChance ?? false,
		}
	})
	const judges = joined.filter((row) => row.kind === 'model').sort((a, b) => a.displayName.localeCompare(b.displayName))
	const paired = new Set((data?.annotators.pairs ?? []).flatMap((pair) => [pair.a, pair.b]))
	// The annotator table is people's; AI judges have a section of their own.
	const rows = joined
		.filter((row) => row.kind !== 'model')
		.sort((a, b) => {
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
		judges,
		judgesCounted: readJudging(result.project.judging).includeInAnalytics,
		// The heatmap's labels: people, and judges only when they are in the pool (judging.includeInAnalytics).
		everyone: [...rows, ...judges.filter((row) => paired.has(row.userId))].map((row) => ({
			userId: row.userId,
			displayName: row.displayName,
		})),
		dawidSkene: dawidSkene
			? { ...dawidSkene, annotators: undefined, itemList: dawidSkene.itemList.slice(0, DAWID_SKENE_ITEMS_SHOWN) }
			: null,
	}
}
