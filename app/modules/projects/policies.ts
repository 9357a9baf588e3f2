import type { Role } from '#app/generated/prisma/enums.ts'
import { hasPermission } from '#app/utils/permissions.ts'
import { forbidden } from '#app/utils/errors.ts'

type Actor = { roles: readonly Role[] } | null | undefined

/** Admins, engineers and reviewers read projects (reviewers only those they belong to); annotators only annotate. */
export const canReadProjects = (user: Actor) =>
	hasPermission(user, 'read:projects:all') || hasPermission(user, 'read:judgments')

export const canManageProjects = (user: Actor) => hasPermission(user, 'manage:projects')

export const canImportItems = (user: Actor) => hasPermission(user, 'import:items')

export function assertCanReadProjects(user: Actor) {
	if (!canReadProjects(user))
		throw forbidden(
			'Annotators see their projects in the app; reading projects needs the admin, engineer or reviewer role',
		)
}
