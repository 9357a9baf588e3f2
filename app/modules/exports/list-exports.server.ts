import type { Prisma } from '#app/generated/prisma/client.ts'
import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { visibleProjectsWhere } from '#app/modules/projects/access.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { ExportListQuery } from './export.schema.ts'
import { exportInclude, serializeExport } from './serialize-export.ts'

const orderBy = (query: ExportListQuery): Prisma.ExportOrderByWithRelationInput[] => [
	{ [query.sort]: query.dir },
	{ createdAt: 'desc' },
	{ id: 'asc' },
]

/** A page of one project's exports, newest first by default. */
export async function listProjectExports({
	projectId,
	user,
	query,
	withManifest = false,
}: {
	projectId: string
	user: SessionUser
	query: ExportListQuery
	withManifest?: boolean
}) {
	assertPermission(user, 'create:exports')
	const where: Prisma.ExportWhereInput = { projectId }
	const [rows, total] = await Promise.all([
		prisma.export.findMany({
			where,
			include: exportInclude,
			orderBy: orderBy(query),
			skip: (query.page - 1) * query.pageSize,
			take: query.pageSize,
		}),
		prisma.export.count({ where }),
	])
	return { exports: rows.map((row) => serializeExport(row, { withManifest })), total }
}

/** Recent exports across every project the user can read, and those projects for the picker. */
export async function listRecentExports({ user, query }: { user: SessionUser; query: ExportListQuery }) {
	assertPermission(user, 'create:exports')
	const where: Prisma.ExportWhereInput = { project: visibleProjectsWhere(user) }
	const [rows, total, projects] = await Promise.all([
		prisma.export.findMany({
			where,
			include: exportInclude,
			orderBy: orderBy(query),
			skip: (query.page - 1) * query.pageSize,
			take: query.pageSize,
		}),
		prisma.export.count({ where }),
		prisma.project.findMany({
			where: { AND: [visibleProjectsWhere(user), { status: { not: 'archived' } }] },
			// People's judgments: what an export holds by default.
			select: {
				slug: true,
				name: true,
				_count: { select: { judgments: { where: { source: 'human' } }, exports: true } },
			},
			orderBy: { name: 'asc' },
			take: 200,
		}),
	])
	return {
		exports: rows.map((row) => serializeExport(row)),
		total,
		projects: projects.map((project) => ({
			slug: project.slug,
			name: project.name,
			judgments: project._count.judgments,
			exports: project._count.exports,
		})),
	}
}
