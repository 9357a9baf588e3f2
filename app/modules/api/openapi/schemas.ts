// Component schemas generated from the zod schemas the API validates with, so the document
// cannot drift from what the API accepts. Response shapes stay hand-written beside their paths.
import { z } from 'zod'
import { ExportStatus } from '#app/generated/prisma/enums.ts'
import { ExportRequestOptionsSchema, ExportRequestSchema, FormatNameSchema } from '#app/modules/exports/export.schema.ts'
import {
	CreateProjectSchema,
	CriterionSchema,
	MemberInputSchema,
	MemberRoleSchema,
	ProjectStatusSchema,
	RationaleModeSchema,
	TaskTypeSchema,
	UpdateProjectSchema,
} from '#app/modules/projects/project.schema.ts'
import { RoleSchema } from '#app/modules/users/users.schema.ts'

const components = {
	Role: RoleSchema,
	TaskType: TaskTypeSchema,
	ProjectStatus: ProjectStatusSchema,
	RationaleMode: RationaleModeSchema,
	MemberRole: MemberRoleSchema,
	ExportStatus: z.enum(ExportStatus),
	FormatName: FormatNameSchema,
	ExportOptions: ExportRequestOptionsSchema,
	ExportRequest: ExportRequestSchema,
	Criterion: CriterionSchema,
	CreateProject: CreateProjectSchema,
	UpdateProject: UpdateProjectSchema,
	MemberInput: MemberInputSchema,
}
export type ComponentName = keyof typeof components

const registry = z.registry<{ id: string }>()
for (const [id, schema] of Object.entries(components)) registry.add(schema, { id })

const generated = z.toJSONSchema(registry, { io: 'input', uri: (id) => `#/components/schemas/${id}` }).schemas
export const componentSchemas: Record<string, unknown> = Object.fromEntries(
	Object.entries(generated).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]),
)

export const schemaRef = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` })
