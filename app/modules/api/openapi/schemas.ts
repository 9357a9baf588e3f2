// Component schemas generated from the zod schemas the API validates with, so the document
// cannot drift from what the API accepts. Response shapes stay hand-written beside their paths.
import { z } from 'zod'
import { ExportStatus } from '#app/generated/prisma/enums.ts'
import { AdjudicationInputSchema } from '#app/modules/analytics/adjudication.schema.ts'
import {
	ExportRequestOptionsSchema,
	ExportRequestSchema,
	FormatNameSchema,
} from '#app/modules/exports/export.schema.ts'
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
	AdjudicationInput: AdjudicationInputSchema,
}
export type ComponentName = keyof typeof components

const registry = z.registry<{ id: string }>()
for (const [id, schema] of Object.entries(components)) registry.add(schema, { id })

const generated = z.toJSONSchema(registry, { io: 'input', uri: (id) => `#/components/schemas/${id}` }).schemas
export const componentSchemas: Record<string, unknown> = Object.fromEntries(
	Object.entries(generated).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]),
)

export const schemaRef = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` })

type JsonSchema = { description?: string; minimum?: number; maximum?: number; [key: string]: unknown }

/** The query parameters of an endpoint, from the zod schema that parses its query string. */
export function queryParameters(schema: z.ZodObject) {
	const { properties = {} } = z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, JsonSchema> }
	return Object.entries(properties).map(([name, { description, ...property }]) => {
		// z.int() bounds every integer by the safe range; a query parameter has no need to say so.
		if (property.minimum === Number.MIN_SAFE_INTEGER) delete property.minimum
		if (property.maximum === Number.MAX_SAFE_INTEGER) delete property.maximum
		return { name, in: 'query', schema: property, ...(description === undefined ? {} : { description }) }
	})
}
