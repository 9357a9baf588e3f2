// The API contract. Each endpoint added under /api/v1 is described here as well; a test checks
// that every API route file has a path in this document.

const problem = { $ref: '#/components/responses/Problem' }
const errorResponses = {
	'401': { ...problem, description: 'Missing, invalid or revoked token' },
	'403': { ...problem, description: 'The token lacks the role this needs' },
}

import { analyticsPaths } from './openapi/analytics.ts'
import { assignmentPaths } from './openapi/assignments.ts'
import { exportPaths } from './openapi/exports.ts'
import { judgingPaths } from './openapi/judging.ts'
import { modelPaths } from './openapi/models.ts'
import { projectPaths } from './openapi/projects.ts'
import { UserListQuerySchema } from '#app/modules/users/users.schema.ts'
import { componentSchemas, queryParameters } from './openapi/schemas.ts'

export const corePaths: Record<string, Record<string, unknown>> = {
	'/me': {
		get: {
			summary: 'The caller',
			operationId: 'getMe',
			responses: {
				'200': {
					description: 'The authenticated user',
					content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
				},
				...errorResponses,
			},
		},
	},
	'/users': {
		get: {
			summary: 'List users (admins)',
			operationId: 'listUsers',
			parameters: queryParameters(UserListQuerySchema),
			responses: {
				'200': {
					description: 'A page of users',
					content: {
						'application/json': {
							schema: {
								type: 'object',
								properties: {
									users: { type: 'array', items: { $ref: '#/components/schemas/User' } },
									total: { type: 'integer' },
									page: { type: 'integer' },
									pageSize: { type: 'integer' },
								},
							},
						},
					},
				},
				...errorResponses,
			},
		},
	},
}

// Each area of the API keeps its paths in its own file under ./openapi/.
export const paths: Record<string, Record<string, unknown>> = {
	...corePaths,
	...assignmentPaths,
	...projectPaths,
	...exportPaths,
	...analyticsPaths,
	...modelPaths,
	...judgingPaths,
}

export function openApiDocument({ serverUrl, version }: { serverUrl: string; version: string }) {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Quorum API',
			version,
			description:
				'Human-feedback labeling for RLHF. Authenticate with a personal API token: `Authorization: Bearer <token>`. Errors are `application/problem+json`. A 503 with `Retry-After` means the database is briefly unreachable: send the same request again (judgments with the same idempotency key).',
		},
		servers: [{ url: `${serverUrl}/api/v1` }],
		security: [{ bearerAuth: [] }],
		paths,
		components: {
			securitySchemes: {
				bearerAuth: {
					type: 'http',
					scheme: 'bearer',
					description: 'A personal API token from Settings → API tokens or `quorum tokens create`',
				},
			},
			responses: {
				Problem: {
					description: 'An error',
					content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
				},
			},
			schemas: {
				...componentSchemas,
				User: {
					type: 'object',
					required: ['id', 'email', 'displayName', 'roles'],
					properties: {
						id: { type: 'string', format: 'uuid' },
						email: { type: 'string', format: 'email' },
						displayName: { type: 'string' },
						roles: { type: 'array', items: { $ref: '#/components/schemas/Role' } },
						disabled: { type: 'boolean' },
					},
				},
				Problem: {
					type: 'object',
					required: ['title', 'status'],
					properties: {
						type: { type: 'string' },
						title: { type: 'string' },
						status: { type: 'integer' },
						detail: { type: 'string' },
						code: { type: 'string' },
						errors: {
							type: 'array',
							items: {
								type: 'object',
								properties: { path: { type: 'string' }, message: { type: 'string' }, line: { type: 'integer' } },
							},
						},
					},
				},
			},
		},
	}
}
