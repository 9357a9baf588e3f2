import { Prisma, type ProjectStatus, type TaskType } from '#app/generated/prisma/client.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { hasPermission } from '#app/utils/permissions.ts'
import type { ProjectListQuery } from './project.schema.ts'

/** The caller's projects with the current user's memberships, for the annotator's list. */
export async function listMyProjects({ user }: { user: SessionUser }) {
	const projects = await prisma.project.findMany({
		where: { members: { some: { userId: user.id } }, status: { not: 'archived' } },
		select: {
			id: true,
			slug: true,
			name: true,
			description: true,
			taskType: true,
			status: true,
			members: { where: { userId: user.id }, select: { role: true } },
		},
		orderBy: { createdAt: 'desc' },
	})
	return projects.map(({ members, ...project }) => ({ ...project, memberRoles: members.map((member) => member.role) }))
}

const ORDER: Record<ProjectListQuery['sort'], string> = {
	name: 'lower(name)',
	status: 'status',
	taskType: 'task_type',
	itemCount: 'item_count',
	judgmentCount: 'judgment_count',
	completion: 'completion',
	createdAt: 'created_at',
}

/**
 * The projects table: every project the user may see, with item and judgment counts and
 * completion, sorted, filtered and paginated in Postgres. Archived projects show only when asked for.
 */
export async function listProjects({ user, query }: { user: SessionUser; query: ProjectListQuery }) {
	const conditions = [
		query.status ? Prisma.sql`p.status = ${query.status}::"ProjectStatus"` : Prisma.sql`p.status <> 'archived'`,
	]
	if (!hasPermission(user, 'read:projects:all')) {
		conditions.push(
			Prisma.sql`EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = ${user.id}::uuid)`,
		)
	}
	if (query.taskType) conditions.push(Prisma.sql`p.task_type = ${query.taskType}::"TaskType"`)
	if (query.q) {
		const pattern = `%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
		conditions.push(Prisma.sql`(p.name ILIKE ${pattern} OR p.slug ILIKE ${pattern})`)
	}
	const where = Prisma.join(conditions, ' AND ')
	const direction = query.dir === 'asc' ? 'ASC' : 'DESC'
	const order = Prisma.raw(`${ORDER[query.sort]} ${direction} NULLS LAST, created_at DESC, id`)
	const rows = await prisma.$queryRaw<
		{
			id: string
			slug: string
			name: string
			description: string
			task_type: TaskType
			status: ProjectStatus
			overlap: number
			created_at: Date
			item_count: number
			judgment_count: number
			completion: number
			total: number
		}[]
	>`
		SELECT *, count(*) OVER ()::int AS total FROM (
			SELECT p.id::text, p.slug, p.name, p.description, p.task_type::text, p.status::text, p.overlap, p.created_at,
				coalesce(agg.item_count, 0)::int AS item_count,
				(SELECT count(*) FROM judgments j WHERE j.project_id = p.id
					AND (j.source = 'human' OR (p.judging->>'includeInAnalytics')::boolean IS TRUE))::int AS judgment_count,
				CASE WHEN coalesce(agg.wanted, 0) = 0 THEN 0 ELSE agg.judged_units::float8 / agg.wanted END AS completion
			FROM projects p
			LEFT JOIN LATERAL (
				SELECT count(*) AS item_count,
					coalesce(sum(least(i.judgment_count, coalesce(i.target_count, p.overlap))) FILTER (WHERE NOT i.is_gold), 0) AS judged_units,
					coalesce(sum(coalesce(i.target_count, p.overlap)) FILTER (WHERE NOT i.is_gold), 0) AS wanted
				FROM items i WHERE i.project_id = p.id
			) agg ON true
			WHERE ${where}
		) t
		ORDER BY ${order}
		LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`
	let total = rows[0]?.total ?? 0
	if (rows.length === 0 && query.page > 1) {
		const [count] = await prisma.$queryRaw<
			{ total: number }[]
		>`SELECT count(*)::int AS total FROM projects p WHERE ${where}`
		total = count?.total ?? 0
	}
	return {
		total,
		page: query.page,
		pageSize: query.pageSize,
		projects: rows.map((row) => ({
			id: row.id,
			slug: row.slug,
			name: row.name,
			description: row.description,
			taskType: row.task_type,
			status: row.status,
			overlap: row.overlap,
			createdAt: row.created_at.toISOString(),
			itemCount: row.item_count,
			judgmentCount: row.judgment_count,
			completion: row.completion,
		})),
	}
}
