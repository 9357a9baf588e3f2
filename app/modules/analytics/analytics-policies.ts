import type { Role } from '#app/generated/prisma/enums.ts'
import { forbidden } from '#app/utils/errors.ts'
import { hasPermission, hasRole } from '#app/utils/permissions.ts'

type Actor = { roles: readonly Role[] } | null | undefined

/** Admins review every project; reviewers the projects they are reviewer members of. */
export const canReviewProject = ({ user, memberRoles }: { user: Actor; memberRoles: readonly string[] }) =>
	hasRole(user, 'admin') || (hasPermission(user, 'adjudicate:items') && memberRoles.includes('reviewer'))

export function assertCanReadAnalytics(user: Actor) {
	if (!hasPermission(user, 'read:analytics'))
		throw forbidden('Agreement, quality and leaderboards need the admin, engineer or reviewer role')
}
