import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { visibleProjectsWhere } from './access.server.ts'

export async function listProjectsForUser({ user }: { user: SessionUser }) {
	const projects = await prisma.project.findMany({
		where: { ...visibleProjectsWhere(user), status: { not: 'archived' } },
		select: { id: true, slug: true, name: true, description: true, taskType: true, overlap: true, status: true, createdAt: true },
		orderBy: { createdAt: 'desc' },
	})
	return projects
}
