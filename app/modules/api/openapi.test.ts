import { describe, expect, test } from 'vitest'
import { ExportStatus, ProjectStatus, Role, TaskType } from '#app/generated/prisma/enums.ts'
import { ProjectListQuerySchema } from '#app/modules/projects/project.schema.ts'
import { openApiDocument } from './openapi.ts'

const document = openApiDocument({ serverUrl: 'http://localhost', version: 'test' })
type Schema = {
	type?: string
	enum?: string[]
	required?: string[]
	properties?: Record<string, unknown>
	additionalProperties?: boolean
}
const schema = (name: string) => (document.components.schemas as Record<string, Schema | undefined>)[name]

function refsIn(value: unknown, out: string[] = []): string[] {
	if (Array.isArray(value)) for (const entry of value) refsIn(entry, out)
	else if (value && typeof value === 'object') {
		for (const [key, entry] of Object.entries(value)) {
			if (key === '$ref' && typeof entry === 'string') out.push(entry)
			else refsIn(entry, out)
		}
	}
	return out
}

describe('the OpenAPI document', () => {
	test('every $ref names a component that exists', () => {
		const refs = [...new Set(refsIn(document))]
		expect(refs.length).toBeGreaterThan(5)
		for (const ref of refs) {
			const [, , kind, name] = ref.split('/')
			expect((document.components as Record<string, Record<string, unknown>>)[kind!]?.[name!], ref).toBeDefined()
		}
	})

	test('the domain enums come from the schema', () => {
		expect(schema('TaskType')?.enum).toEqual(Object.values(TaskType))
		expect(schema('ProjectStatus')?.enum).toEqual(Object.values(ProjectStatus))
		expect(schema('ExportStatus')?.enum).toEqual(Object.values(ExportStatus))
		expect(schema('Role')?.enum).toEqual(Object.values(Role))
	})

	test('request bodies are generated from the zod schemas that validate them', () => {
		const create = schema('CreateProject')!
		expect(create.required).toEqual(['name', 'taskType'])
		expect(create.properties?.taskType).toEqual({ $ref: '#/components/schemas/TaskType' })
		expect(schema('TaskType')).toMatchObject({
			type: 'string',
			description: expect.stringMatching(/^pairwise: exactly 2 responses/),
		})
		expect(create.properties?.overlap).toMatchObject({
			default: 3,
			anyOf: [
				{ type: 'integer', minimum: 1, maximum: 50 },
				{ required: ['mode', 'n'], properties: { mode: { const: 'fixed' } } },
				{ required: ['mode', 'min', 'max', 'confidence'], properties: { mode: { const: 'adaptive' } } },
			],
		})
		expect(schema('UpdateProject')?.additionalProperties).toBe(false)
		expect(schema('MemberInput')?.required).toEqual(['email', 'role'])
		expect(schema('ExportRequest')).toMatchObject({
			required: ['format'],
			additionalProperties: false,
			properties: { options: { $ref: '#/components/schemas/ExportOptions' } },
		})
		expect(Object.keys(schema('ExportOptions')?.properties ?? {})).toContain('minGoldAccuracy')
		const post = (
			document.paths['/projects'] as { post: { requestBody: { content: Record<string, { schema: unknown }> } } }
		).post
		expect(post.requestBody.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/CreateProject' })
	})

	test('query parameters are generated from the schema that parses the query string', () => {
		const parameters = (
			document.paths['/projects'] as { get: { parameters: { name: string; in: string; schema: Schema }[] } }
		).get.parameters
		expect(parameters.map((parameter) => parameter.name)).toEqual(Object.keys(ProjectListQuerySchema.shape))
		expect(parameters.find((parameter) => parameter.name === 'pageSize')).toEqual({
			name: 'pageSize',
			in: 'query',
			schema: { type: 'integer', minimum: 1, maximum: 200, default: 25 },
		})
		expect(parameters.find((parameter) => parameter.name === 'status')?.schema.enum).toEqual(
			Object.values(ProjectStatus),
		)
	})
})
