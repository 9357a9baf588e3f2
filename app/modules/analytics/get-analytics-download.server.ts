import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { toCsv } from '#app/utils/csv.ts'
import { notFound } from '#app/utils/errors.ts'
import { AnalyticsDownloadSchema } from './analytics.schema.ts'
import { analyticsTable, TABLE_KIND } from './analytics-table.ts'
import { getProjectAnalytics } from './get-project-analytics.server.ts'

/** A table of the quality pages as a file: CSV by default, or JSON rows. */
export async function getAnalyticsDownload({
	slug,
	user,
	query,
}: {
	slug: string
	user: SessionUser
	query: Record<string, string>
}) {
	const { table, format } = AnalyticsDownloadSchema.parse(query)
	const { data, computedAt } = await getProjectAnalytics({ slug, user, kinds: [TABLE_KIND[table]] })
	if (!data) throw notFound('These figures have not been computed yet')
	const { header, rows } = analyticsTable({ table, data })
	const stamp = (computedAt ?? '').slice(0, 19).replace(/[:T]/g, '-')
	const filename = `${slug}-${table}-${stamp}.${format}`
	const body =
		format === 'csv'
			? toCsv({ header, rows })
			: JSON.stringify(
					rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? null]))),
					null,
					2,
				)
	return {
		filename,
		body,
		contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
	}
}
