import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { forbidden, notFound } from '#app/utils/errors.ts'
import { hasPermission, hasRole } from '#app/utils/permissions.ts'

export type ProjectAccess = 'annotate' | 'review' | 'read' | 'manage'

/**
 * Loads a project for what the user wants to do with it. Annotators must be members; reviewers
 * must be members to review; admins and engineers read every project.
 */
export async function getProjectForUser({
	slug,
	user,
	access,
}: {
	slug: string
	user: SessionUser
	access: ProjectAccess
}) {
	const project = await prisma.project.findUnique({
		where: { slug },
		include: { members: { where: { userId: user.id }, select: { role: true } } },
	})
	if (!project) throw notFound(`No project "${slug}"`)
	const memberRoles = new Set(project.members.map((member) => member.role))
	const isAdmin = hasRole(user, 'admin')
	const allowed =
		isAdmin ||
		(access === 'annotate' && hasRole(user, 'annotator') && memberRoles.has('annotator')) ||
		(access === 'review' && hasPermission(user, 'adjudicate:items') && memberRoles.has('reviewer')) ||
		(access === 'read' &&
			(hasPermission(user, 'read:projects:all') ||
				(hasPermission(user, 'read:judgments') && memberRoles.has('reviewer'))))
	if (!allowed) {
		if (memberRoles.size === 0 && !hasPermission(user, 'read:projects:all')) throw notFound(`No project "${slug}"`)
		throw forbidden(`You cannot ${access} this project`)
	}
	const { members: _members, ...rest } = project
	return { ...rest, memberRoles: [...memberRoles] }
}
