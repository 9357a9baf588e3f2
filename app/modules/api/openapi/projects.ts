import { judgingSettingsSchema } from './judging.ts'
import { authErrors, jsonBody, problemResponse, slugParam } from './common.ts'
import { ItemCursorQuerySchema, ProjectListQuerySchema } from '#app/modules/projects/project.schema.ts'
import { queryParameters, schemaRef } from './schemas.ts'

const settings = {
	name: { type: 'string' },
	description: { type: 'string' },
	taskType: schemaRef('TaskType'),
	overlap: {
		type: 'integer',
		description: 'Judgments per item; for an adaptive policy, its minimum; comparison projects: battles per prompt',
	},
	overlapPolicy: {
		description:
			'The overlap policy (ADR 0020); `overlap` in a create or update request accepts the same objects, or a whole number',
		oneOf: [
			{ type: 'object', required: ['mode', 'n'], properties: { mode: { const: 'fixed' }, n: { type: 'integer' } } },
			{
				type: 'object',
				required: ['mode', 'min', 'max', 'confidence'],
				properties: {
					mode: { const: 'adaptive' },
					min: { type: 'integer' },
					max: { type: 'integer' },
					confidence: { type: 'number' },
				},
			},
		],
	},
	leaseSeconds: { type: 'integer' },
	criteria: { type: 'array', items: schemaRef('Criterion') },
	flags: { type: 'array', items: { type: 'string' } },
	useStrength: { type: 'boolean' },
	rationale: schemaRef('RationaleMode'),
	randomizeOrder: { type: 'boolean' },
	showModelNames: { type: 'boolean', description: 'Never shown in comparison projects, whose judging is blind' },
	pairPolicy: {
		type: 'string',
		enum: ['uniform', 'active'],
		default: 'uniform',
		description:
			'Comparison projects: which two responses a lease shows. uniform: the pair of models with the fewest battles; active: drawn by the weights the analytics refresh computes (README, "Arena projects")',
	},
	arena: {
		type: 'object',
		description:
			'Comparison projects. A response containing one of selfIdWords (case-insensitive, whole words) is marked self-identifying; its battles stay out of the leaderboard unless includeSelfIdentified',
		properties: {
			selfIdWords: { type: 'array', items: { type: 'string' }, description: 'Left out: the default list' },
			includeSelfIdentified: { type: 'boolean', default: false },
		},
	},
	goldRate: { type: 'number' },
	judging: judgingSettingsSchema,
	generation: {
		type: 'object',
		description: 'How generated responses become servable items',
		properties: {
			responsesPerItem: {
				type: 'integer',
				minimum: 2,
				maximum: 9,
				description: 'Ranking: responses an item needs before it is served (pairwise: 2)',
			},
			duplicateThreshold: {
				type: 'number',
				minimum: 0.5,
				maximum: 1,
				default: 0.9,
				description: 'Character 5-gram Jaccard at which two responses count as near-duplicates',
			},
			maxRegenerations: { type: 'integer', minimum: 0, maximum: 10, default: 2 },
			truncated: {
				type: 'string',
				enum: ['serve', 'regenerate'],
				default: 'serve',
				description: 'What to do with a response cut off at max_tokens',
			},
		},
	},
}

const status = schemaRef('ProjectStatus')

const project = {
	type: 'object',
	properties: {
		id: { type: 'string', format: 'uuid' },
		slug: { type: 'string' },
		...settings,
		status,
		createdAt: { type: 'string', format: 'date-time' },
		updatedAt: { type: 'string', format: 'date-time' },
	},
}

const projectDetails = {
	type: 'object',
	properties: {
		...project.properties,
		itemCount: { type: 'integer' },
		goldCount: { type: 'integer' },
		openCount: { type: 'integer', description: 'Regular items without judgments' },
		inProgressCount: { type: 'integer' },
		completeCount: { type: 'integer' },
		judgmentCount: { type: 'integer' },
		remainingJudgments: { type: 'integer' },
		completion: { type: 'number', minimum: 0, maximum: 1 },
	},
}

const importError = {
	type: 'object',
	required: ['line', 'path', 'message'],
	properties: {
		line: {
			type: 'integer',
			description: '1-based line (JSONL), record start line (CSV) or row (Parquet); 0 is the whole file',
		},
		path: { type: 'string', description: 'The field, e.g. responses[1].content; empty for the whole line' },
		message: { type: 'string', description: 'What was expected' },
	},
}

const importReport = {
	type: 'object',
	required: ['imported', 'updated', 'unchanged', 'errors', 'errorCount'],
	properties: {
		importId: { type: 'string', format: 'uuid' },
		format: { type: 'string', enum: ['jsonl', 'csv', 'parquet'] },
		refused: { type: 'boolean' },
		imported: { type: 'integer', description: 'New items' },
		updated: { type: 'integer', description: 'Existing items (same id) whose content changed and had no judgments' },
		unchanged: { type: 'integer', description: 'Existing items with identical content' },
		errors: { type: 'array', items: importError, description: 'The first 1,000 errors, in file order' },
		errorCount: { type: 'integer', description: 'All errors, including those not listed' },
		invalidLines: { type: 'integer' },
	},
}

const member = schemaRef('MemberInput')
const memberRole = schemaRef('MemberRole')

const item = {
	type: 'object',
	properties: {
		id: { type: 'string', format: 'uuid' },
		externalId: { type: 'string' },
		status: {
			type: 'string',
			enum: ['waiting', 'open', 'in-progress', 'complete', 'gold'],
			description: 'waiting: fewer responses than the project needs, until a generation run fills it',
		},
		judgmentCount: { type: 'integer' },
		context: { type: 'object', description: '{prompt} or {messages: [{role, content}]}' },
		responses: {
			type: 'array',
			items: {
				type: 'object',
				properties: {
					id: { type: 'string' },
					model: { type: ['string', 'null'] },
					content: { type: 'string' },
					metadata: { type: ['object', 'null'] },
				},
			},
		},
		battles: {
			type: 'array',
			description:
				'Comparison projects only: per pair of responses judged (keys in stored order), the battles and their outcomes',
			items: {
				type: 'object',
				properties: {
					pair: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
					battles: { type: 'integer' },
					wins: {
						type: 'array',
						items: { type: 'integer' },
						description: "Wins of the pair's first and second response",
					},
					ties: { type: 'integer' },
					bothBad: { type: 'integer' },
				},
			},
		},
		metadata: { type: ['object', 'null'] },
		gold: {
			type: ['object', 'null'],
			properties: { ranking: { type: 'array', items: { type: 'array', items: { type: 'string' } } } },
		},
		createdAt: { type: 'string', format: 'date-time' },
		updatedAt: { type: 'string', format: 'date-time' },
	},
}

const fileBody = (description: string) => ({ type: 'string', format: 'binary', description })

export const projectPaths: Record<string, Record<string, unknown>> = {
	'/projects': {
		get: {
			summary: 'List projects (admins and engineers: all; reviewers: their own)',
			operationId: 'listProjects',
			parameters: queryParameters(ProjectListQuerySchema),
			responses: {
				'200': jsonBody(
					{
						type: 'object',
						properties: {
							projects: {
								type: 'array',
								items: {
									type: 'object',
									properties: {
										id: { type: 'string' },
										slug: { type: 'string' },
										name: { type: 'string' },
										taskType: settings.taskType,
										status,
										overlap: { type: 'integer' },
										itemCount: { type: 'integer' },
										judgmentCount: { type: 'integer' },
										completion: { type: 'number' },
										createdAt: { type: 'string', format: 'date-time' },
									},
								},
							},
							total: { type: 'integer' },
							page: { type: 'integer' },
							pageSize: { type: 'integer' },
						},
					},
					'A page of projects',
				),
				...authErrors,
			},
		},
		post: {
			summary: 'Create a project (admins)',
			operationId: 'createProject',
			requestBody: {
				required: true,
				...jsonBody(schemaRef('CreateProject')),
			},
			responses: {
				'201': jsonBody(projectDetails, 'The new project, with its slug'),
				'409': { ...problemResponse, description: 'The slug is taken' },
				'422': { ...problemResponse, description: 'Field errors, each naming its field' },
				...authErrors,
			},
		},
	},
	'/projects/{slug}': {
		get: {
			summary: 'A project with its item and judgment counts',
			operationId: 'getProject',
			parameters: [slugParam],
			responses: {
				'200': jsonBody(projectDetails, 'The project'),
				'404': { ...problemResponse, description: 'No such project' },
				...authErrors,
			},
		},
		patch: {
			summary: 'Change settings or status (admins)',
			description:
				'Status moves draft → active ⇄ paused → archived. Once the project has judgments, taskType cannot change and criteria and flags cannot be removed or rescaled; such a request answers 422 naming the field and why.',
			operationId: 'updateProject',
			parameters: [slugParam],
			requestBody: { required: true, ...jsonBody(schemaRef('UpdateProject')) },
			responses: {
				'200': jsonBody(projectDetails, 'The updated project'),
				'409': { ...problemResponse, description: 'A status change that is not allowed from the current status' },
				'422': { ...problemResponse, description: 'Field errors, including settings locked by existing judgments' },
				...authErrors,
			},
		},
	},
	'/projects/{slug}/members': {
		get: {
			summary: "The project's annotators and reviewers",
			operationId: 'listProjectMembers',
			parameters: [slugParam],
			responses: {
				'200': jsonBody(
					{
						type: 'object',
						properties: {
							members: {
								type: 'array',
								items: {
									type: 'object',
									properties: {
										userId: { type: 'string' },
										email: { type: 'string' },
										displayName: { type: 'string' },
										role: memberRole,
										disabled: { type: 'boolean' },
										addedAt: { type: 'string', format: 'date-time' },
									},
								},
							},
						},
					},
					'Members',
				),
				...authErrors,
			},
		},
		post: {
			summary: 'Add an annotator or reviewer (admins)',
			description: 'The user must exist and have the role. Adding an existing member changes nothing and answers 200.',
			operationId: 'addProjectMember',
			parameters: [slugParam],
			requestBody: { required: true, ...jsonBody(member) },
			responses: {
				'201': jsonBody({ type: 'object', properties: { added: { type: 'boolean' }, member } }, 'Added'),
				'200': jsonBody({ type: 'object', properties: { added: { type: 'boolean' }, member } }, 'Already a member'),
				'422': { ...problemResponse, description: 'Unknown or disabled user, or a user without that role' },
				...authErrors,
			},
		},
		delete: {
			summary: 'Remove an annotator or reviewer (admins)',
			description:
				"A removed annotator's open leases return to the queue. The member may be given as a JSON body or as `?email=&role=`.",
			operationId: 'removeProjectMember',
			parameters: [
				slugParam,
				{ name: 'email', in: 'query', schema: { type: 'string' } },
				{ name: 'role', in: 'query', schema: memberRole },
			],
			requestBody: { required: false, ...jsonBody(member) },
			responses: {
				'200': jsonBody(
					{ type: 'object', properties: { removed: { type: 'boolean' }, releasedLeases: { type: 'integer' } } },
					'Removed',
				),
				'404': { ...problemResponse, description: 'Not a member with that role' },
				...authErrors,
			},
		},
	},
	'/projects/{slug}/items': {
		get: {
			summary: "The project's items with their content, in import order",
			operationId: 'listProjectItems',
			parameters: [slugParam, ...queryParameters(ItemCursorQuerySchema)],
			responses: {
				'200': jsonBody(
					{
						type: 'object',
						properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
					},
					'A page of items; follow nextCursor until it is null',
				),
				...authErrors,
			},
		},
		post: {
			summary: 'Import items from a JSONL, CSV or Parquet file (admins)',
			description:
				'The body is the file itself, streamed. Each line is canonical `{id, prompt | messages, responses, metadata?, gold?}`, pairwise shorthand `{id?, prompt, response_a, response_b, model_a?, model_b?}` or preference data `{prompt, chosen, rejected}`. Atomic by default: one bad line and nothing is imported (422 listing every bad line). Re-importing is idempotent by item id.',
			operationId: 'importItems',
			parameters: [
				slugParam,
				{
					name: 'skipInvalid',
					in: 'query',
					schema: { type: 'boolean', default: false },
					description: 'Import the valid lines and report the bad ones',
				},
				{
					name: 'filename',
					in: 'query',
					schema: { type: 'string' },
					description: 'Recorded with the import; its extension picks the format when the Content-Type is generic',
				},
			],
			requestBody: {
				required: true,
				content: {
					'application/x-ndjson': { schema: fileBody('JSON Lines') },
					'text/csv': { schema: fileBody('CSV with a header row; nested fields as JSON text') },
					'application/vnd.apache.parquet': { schema: fileBody('Parquet, uncompressed or Snappy') },
				},
			},
			responses: {
				'200': jsonBody(importReport, 'Imported'),
				'409': { ...problemResponse, description: 'The project is archived' },
				'415': { ...problemResponse, description: 'The Content-Type names no supported format' },
				'422': {
					description: 'Refused: nothing was imported. The problem details carry the same report, with every bad line',
					content: {
						'application/problem+json': { schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, importReport] } },
					},
				},
				...authErrors,
			},
		},
	},
}
