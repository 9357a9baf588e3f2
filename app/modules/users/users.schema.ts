import { z } from 'zod'
import { Role } from '#app/generated/prisma/enums.ts'
import { ROLES } from '#app/utils/permissions.ts'
import { PageSchema, pageSizeSchema } from '#app/utils/pagination.ts'

export const RoleSchema = z.enum(Role, { error: `Role must be one of: ${ROLES.join(', ')}` })
export const RolesSchema = z
	.array(RoleSchema)
	.min(1, 'Choose at least one role')
	.transform((roles) => [...new Set(roles)])

export const DisplayNameSchema = z
	.string({ error: 'Display name is required' })
	.trim()
	.min(1, 'Display name is required')
	.max(100, 'Display name must be at most 100 characters')

export const UserListQuerySchema = z.object({
	q: z.string().trim().max(200).optional(),
	role: RoleSchema.optional(),
	status: z.enum(['active', 'disabled']).optional(),
	sort: z.enum(['email', 'displayName', 'createdAt']).default('createdAt'),
	dir: z.enum(['asc', 'desc']).default('desc'),
	page: PageSchema,
	pageSize: pageSizeSchema(200),
})
export type UserListQuery = z.infer<typeof UserListQuerySchema>
