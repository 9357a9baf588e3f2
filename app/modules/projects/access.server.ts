import type { SessionUser } from '#app/modules/auth/session.server.ts'
import type { Prisma } from '#app/generated/prisma/client.ts'
import { hasPermission } from '#app/utils/permissions.ts'

/** Which projects a user may see: all for admins and engineers, else those they are a member of. */
export function visibleProjectsWhere(user: SessionUser): Prisma.ProjectWhereInput {
	if (hasPermission(user, 'read:projects:all')) return {}
	return { members: { some: { userId: user.id } } }
}
