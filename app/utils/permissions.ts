import { Role } from '#app/generated/prisma/enums.ts'

export const ROLES = Object.values(Role)

/** Shared by server and client: the server enforces, the UI only hides what a user cannot do. */
export const permissionsByRole = {
	admin: [
		'manage:users',
		'manage:projects',
		'import:items',
		'read:projects:all',
		'read:judgments',
		'read:analytics',
		'adjudicate:items',
		'create:exports',
		'annotate:projects',
		'manage:models',
		'run:models',
	],
	reviewer: ['read:judgments', 'read:analytics', 'adjudicate:items'],
	engineer: ['read:projects:all', 'read:judgments', 'read:analytics', 'create:exports', 'run:models'],
	annotator: ['annotate:projects'],
} as const satisfies Record<Role, readonly string[]>

export type Permission = (typeof permissionsByRole)[Role][number]

export function hasPermission(user: { roles: readonly Role[] } | null | undefined, permission: Permission) {
	if (!user) return false
	return user.roles.some((role) => (permissionsByRole[role] as readonly string[]).includes(permission))
}

export function hasRole(user: { roles: readonly Role[] } | null | undefined, ...roles: Role[]) {
	return !!user && user.roles.some((role) => roles.includes(role))
}
