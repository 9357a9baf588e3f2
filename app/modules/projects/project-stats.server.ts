import { Prisma, type ProjectStatus } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { readJudging } from '#app/modules/analytics/judging-settings.ts'
import type { AnnotatorListQuery } from './project.schema.ts'

const HOUR = 3_600_000

export type ProjectCounts = {
	itemCount: number
	goldCount: number
	openCount: number
	inProgressCount: number
	completeCount: number
	/** Items that wait for generated responses; closed to the claim until they have enough. */
	waitingCount: number
	/** People's judgments, and AI judges' too when the project counts them (`judging.includeInAnalytics`). */
	judgmentCount: number
	/** Judgments still wanted: each regular item's target (the overlap, or what adaptive overlap asks now), minus those made. */
	remainingJudgments: number
	/** 0..1: judgments made towards overlap on regular items. */
	completion: number
}

export async function getProjectCounts({
	projectId,
	overlap,
	includeModel = false,
}: {
	projectId: string
	overlap: number
	includeModel?: boolean
}): Promise<ProjectCounts> {
	const [[items], judgmentCount] = await Promise.all([
		prisma.$queryRaw<
			{
				item_count: number
				gold_count: number
				open_count: number
				in_progress_count: number
				complete_count: number
				waiting_count: number
				judged_units: number
				wanted: number
			}[]
		>`
			SELECT count(*)::int AS item_count,
				count(*) FILTER (WHERE is_gold)::int AS gold_count,
				count(*) FILTER (WHERE NOT is_gold AND is_open AND judgment_count = 0)::int AS open_count,
				count(*) FILTER (WHERE NOT is_gold AND is_open AND judgment_count > 0)::int AS in_progress_count,
				count(*) FILTER (WHERE NOT is_gold AND NOT is_open AND NOT awaiting_responses)::int AS complete_count,
				count(*) FILTER (WHERE NOT is_gold AND awaiting_responses)::int AS waiting_count,
				coalesce(sum(least(judgment_count, coalesce(target_count, ${overlap}))) FILTER (WHERE NOT is_gold), 0)::int AS judged_units,
				coalesce(sum(coalesce(target_count, ${overlap})) FILTER (WHERE NOT is_gold), 0)::int AS wanted
			FROM items WHERE project_id = ${projectId}::uuid`,
		prisma.judgment.count({ where: { projectId, ...(includeModel ? {} : { source: 'human' }) } }),
	])
	const wanted = items?.wanted ?? 0
	const judgedUnits = items?.judged_units ?? 0
	return {
		itemCount: items?.item_count ?? 0,
		goldCount: items?.gold_count ?? 0,
		openCount: items?.open_count ?? 0,
		inProgressCount: items?.in_progress_count ?? 0,
		completeCount: items?.complete_count ?? 0,
		waitingCount: items?.waiting_count ?? 0,
		judgmentCount,
		remainingJudgments: Math.max(0, wanted - judgedUnits),
		completion: wanted === 0 ? 0 : judgedUnits / wanted,
	}
}

export type Throughput = { hours: { hour: string; judgments: number }[]; ratePerHour: number }

/** People's judgments per hour over the last `hours` hours, and their rate over the last day of work (AI judges' never count: the pace is of the human work left). */
export async function getThroughput({
	projectId,
	now = new Date(),
	hours = 48,
}: {
	projectId: string
	now?: Date
	hours?: number
}): Promise<Throughput> {
	const currentHour = Math.floor(now.getTime() / HOUR) * HOUR
	const since = new Date(currentHour - (hours - 1) * HOUR)
	const dayAgo = new Date(now.getTime() - 24 * HOUR)
	const [buckets, [recent]] = await Promise.all([
		prisma.$queryRaw<{ hour: Date; judgments: number }[]>`
			SELECT date_trunc('hour', created_at) AS hour, count(*)::int AS judgments
			FROM judgments WHERE project_id = ${projectId}::uuid AND created_at >= ${since} AND created_at <= ${now} AND source = 'human'
			GROUP BY 1`,
		prisma.$queryRaw<{ judgments: number; first_at: Date | null }[]>`
			SELECT count(*) FILTER (WHERE created_at >= ${dayAgo} AND NOT is_gold)::int AS judgments, min(created_at) AS first_at
			FROM judgments WHERE project_id = ${projectId}::uuid AND created_at <= ${now} AND source = 'human'`,
	])
	const byHour = new Map(buckets.map((bucket) => [bucket.hour.getTime(), bucket.judgments]))
	const series = Array.from({ length: hours }, (_, i) => {
		const hour = since.getTime() + i * HOUR
		return { hour: new Date(hour).toISOString(), judgments: byHour.get(hour) ?? 0 }
	})
	const firstAt = recent?.first_at?.getTime()
	const windowHours = firstAt === undefined ? 24 : Math.max(1, Math.min(24, (now.getTime() - firstAt) / HOUR))
	return { hours: series, ratePerHour: (recent?.judgments ?? 0) / windowHours }
}

export type Eta = { at: string | null; reason: 'complete' | 'not-active' | 'no-items' | 'no-recent-work' | null }

export function estimateFinish({
	status,
	counts,
	ratePerHour,
	now = new Date(),
}: {
	status: ProjectStatus
	counts: ProjectCounts
	ratePerHour: number
	now?: Date
}): Eta {
	if (counts.itemCount - counts.goldCount === 0) return { at: null, reason: 'no-items' }
	if (counts.remainingJudgments === 0) return { at: null, reason: 'complete' }
	if (status !== 'active') return { at: null, reason: 'not-active' }
	if (ratePerHour <= 0) return { at: null, reason: 'no-recent-work' }
	return { at: new Date(now.getTime() + (counts.remainingJudgments / ratePerHour) * HOUR).toISOString(), reason: null }
}

/** Everything the dashboard shows: counts, judgments per hour, and when the work should be done at the current pace. */
export async function getProjectStats({
	project,
	now = new Date(),
}: {
	project: { id: string; overlap: number; status: ProjectStatus; judging?: unknown }
	now?: Date
}) {
	const includeModel = readJudging(project.judging).includeInAnalytics
	const [counts, throughput] = await Promise.all([
		getProjectCounts({ projectId: project.id, overlap: project.overlap, includeModel }),
		getThroughput({ projectId: project.id, now }),
	])
	return {
		counts,
		throughput,
		eta: estimateFinish({ status: project.status, counts, ratePerHour: throughput.ratePerHour, now }),
	}
}

const ANNOTATOR_ORDER: Record<AnnotatorListQuery['sort'], string> = {
	email: 'u.email',
	displayName: 'u.display_name',
	judged: 'judged',
	skipped: 'skipped',
	medianActiveMs: 'median_active_ms',
	lastActiveAt: 'last_active_at',
}

/**
 * Per annotator of a project (members, and anyone who judged or skipped there; AI judges are not annotators): judgments,
 * skips, median active time per judgment, and when they last worked.
 */
export async function listAnnotatorStats({ projectId, query }: { projectId: string; query: AnnotatorListQuery }) {
	const order = Prisma.raw(
		`${ANNOTATOR_ORDER[query.sort]} ${query.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, u.email ASC`,
	)
	const rows = await prisma.$queryRaw<
		{
			user_id: string
			email: string
			display_name: string
			judged: number
			skipped: number
			median_active_ms: number | null
			last_active_at: Date | null
			is_member: boolean
			total: number
		}[]
	>`
		WITH people AS (
			SELECT user_id FROM project_members WHERE project_id = ${projectId}::uuid AND role = 'annotator'
			UNION SELECT user_id FROM judgments WHERE project_id = ${projectId}::uuid AND source = 'human'
			UNION SELECT l.user_id FROM skips s JOIN leases l ON l.id = s.lease_id WHERE l.project_id = ${projectId}::uuid
		), j AS (
			SELECT user_id, count(*)::int AS judged, percentile_cont(0.5) WITHIN GROUP (ORDER BY active_ms) AS median_ms, max(created_at) AS last_at
			FROM judgments WHERE project_id = ${projectId}::uuid AND source = 'human' GROUP BY user_id
		), s AS (
			SELECT l.user_id, count(*)::int AS skipped, max(s.created_at) AS last_at
			FROM skips s JOIN leases l ON l.id = s.lease_id WHERE l.project_id = ${projectId}::uuid GROUP BY l.user_id
		)
		SELECT u.id::text AS user_id, u.email, u.display_name,
			coalesce(j.judged, 0) AS judged, coalesce(s.skipped, 0) AS skipped, j.median_ms::float8 AS median_active_ms,
			greatest(j.last_at, s.last_at) AS last_active_at,
			EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = ${projectId}::uuid AND m.user_id = u.id AND m.role = 'annotator') AS is_member,
			count(*) OVER ()::int AS total
		FROM people p JOIN users u ON u.id = p.user_id
		LEFT JOIN j ON j.user_id = u.id LEFT JOIN s ON s.user_id = u.id
		ORDER BY ${order}
		LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`
	const total = rows[0]?.total ?? (query.page > 1 ? await countAnnotators(projectId) : 0)
	return {
		total,
		page: query.page,
		pageSize: query.pageSize,
		annotators: rows.map((row) => ({
			userId: row.user_id,
			email: row.email,
			displayName: row.display_name,
			judged: row.judged,
			skipped: row.skipped,
			medianActiveMs: row.median_active_ms === null ? null : Math.round(row.median_active_ms),
			lastActiveAt: row.last_active_at?.toISOString() ?? null,
			isMember: row.is_member,
		})),
	}
}

async function countAnnotators(projectId: string) {
	const [row] = await prisma.$queryRaw<{ total: number }[]>`
		SELECT count(*)::int AS total FROM (
			SELECT user_id FROM project_members WHERE project_id = ${projectId}::uuid AND role = 'annotator'
			UNION SELECT user_id FROM judgments WHERE project_id = ${projectId}::uuid AND source = 'human'
			UNION SELECT l.user_id FROM skips s JOIN leases l ON l.id = s.lease_id WHERE l.project_id = ${projectId}::uuid
		) people`
	return row?.total ?? 0
}
