import type { Prisma } from '#app/generated/prisma/client.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { forbidden } from '#app/utils/errors.ts'
import { hasRole } from '#app/utils/permissions.ts'

/**
 * Every write on a project's judgments asks again whether the user may annotate it: an admin, or
 * an annotator who is still one of its annotators. A membership removed mid-work ends the writes.
 */
export async function assertMayAnnotate({
	projectId,
	user,
	db = prisma,
}: {
	projectId: string
	user: SessionUser
	db?: Prisma.TransactionClient | typeof prisma
}) {
	if (hasRole(user, 'admin')) return
	const member = hasRole(user, 'annotator')
		? await db.projectMember.findFirst({
				where: { projectId, userId: user.id, role: 'annotator' },
				select: { userId: true },
			})
		: null
	if (!member) throw forbidden('You can no longer annotate this project')
}
