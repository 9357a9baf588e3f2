import { authErrors, jsonBody, problemResponse, slugParam } from './common.ts'

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }

/** A project's `judging` settings, as the project API returns and accepts them. */
export const judgingSettingsSchema = {
	type: 'object',
	description:
		"AI judges: hybrid routing (fixed-overlap projects; adaptive projects ignore it). A PATCH merges these keys into the stored ones; routing: null turns routing off, and every change sets the items' targets again from the judge's stored verdicts",
	properties: {
		routing: {
			type: ['object', 'null'],
			required: ['endpointId'],
			properties: {
				endpointId: { type: 'string', format: 'uuid', description: "The endpoint whose judge's verdicts route items" },
				confidence: {
					type: 'number',
					minimum: 0,
					maximum: 1,
					default: 0.8,
					description: 'Stated confidence that counts as sure',
				},
				overlapWhenJudgeSure: {
					type: 'integer',
					minimum: 0,
					default: 1,
					description: 'Human judgments an item needs when the judge is consistent and sure',
				},
			},
		},
		includeInAnalytics: { type: 'boolean' },
	},
}

const judgeRun = {
	type: 'object',
	required: ['id', 'status', 'progress', 'counts', 'errors'],
	properties: {
		id: { type: 'string', format: 'uuid' },
		project: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' } } },
		status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
		progress: { type: 'number', minimum: 0, maximum: 1 },
		etaSeconds: { type: ['number', 'null'], description: 'Estimated seconds left while running' },
		counts: {
			type: 'object',
			properties: {
				items: { type: 'integer' },
				tasks: { type: 'integer', description: 'Judge calls: two per item, one in each order' },
				done: { type: 'integer' },
				failed: { type: 'integer', description: 'Calls that failed, including answers that could not be read' },
				pending: { type: 'integer' },
				itemsJudged: { type: 'integer', description: 'Items whose judgment this run wrote' },
				itemsInconsistent: { type: 'integer', description: 'Of those, items the two orders disagreed on' },
			},
		},
		errors: {
			type: 'array',
			items: {
				type: 'object',
				properties: {
					itemId: { type: 'string' },
					externalId: { type: 'string' },
					order: { type: 'integer', description: '0: responses in their own order, 1: reversed' },
					message: { type: 'string' },
				},
			},
		},
		endpoint: {
			type: ['object', 'null'],
			properties: { id: { type: 'string' }, name: { type: 'string' }, model: { type: 'string' } },
		},
		judge: {
			type: 'object',
			description: 'The judge user (kind "model") whose judgments this run writes',
			properties: { id: { type: 'string' }, displayName: { type: 'string' } },
		},
		templateVersion: { type: 'integer', description: '0: the built-in default template' },
		options: { type: 'object' },
		error: { type: ['string', 'null'] },
		createdAt: { type: 'string', format: 'date-time' },
		startedAt: { type: ['string', 'null'], format: 'date-time' },
		finishedAt: { type: ['string', 'null'], format: 'date-time' },
	},
}

const judgeRunRequest = {
	type: 'object',
	required: ['endpointId'],
	additionalProperties: false,
	properties: {
		endpointId: { type: 'string', description: 'The endpoint id or its name' },
		template: {
			type: 'string',
			description:
				"The judge prompt template; if it differs from the project's latest it becomes a new version. Placeholders: {{task}}, {{guidelines}}, {{criteria}}, {{context}}, {{responses}}, {{labels}}, {{verdict_format}}",
		},
		items: {
			type: 'object',
			description: 'Which items: every servable item (gold included), narrowed by metadata equality',
			properties: {
				filter: {
					type: 'object',
					properties: { metadata: { type: 'object', additionalProperties: true } },
				},
			},
		},
	},
}

export const judgingPaths: Record<string, Record<string, unknown>> = {
	'/projects/{slug}/judge-runs': {
		get: {
			summary: "A project's judge runs, newest first (admins and engineers)",
			operationId: 'listJudgeRuns',
			parameters: [slugParam],
			responses: {
				'200': jsonBody({ type: 'object', properties: { judgeRuns: { type: 'array', items: judgeRun } } }),
				...authErrors,
				'404': problemResponse,
			},
		},
		post: {
			summary: "Have an endpoint's AI judge judge the project's items, in both orders (admins and engineers)",
			operationId: 'createJudgeRun',
			parameters: [slugParam],
			requestBody: { required: true, content: { 'application/json': { schema: judgeRunRequest } } },
			responses: {
				'202': jsonBody(judgeRun, 'Queued'),
				...authErrors,
				'404': problemResponse,
				'409': { ...problemResponse, description: 'The project is archived' },
				'422': problemResponse,
			},
		},
	},
	'/judge-runs/{id}': {
		get: {
			summary: 'Status, progress with ETA, counts and per-call errors of a judge run',
			operationId: 'getJudgeRun',
			parameters: [idParam],
			responses: { '200': jsonBody(judgeRun), ...authErrors, '404': problemResponse },
		},
		delete: {
			summary: 'Cancel a queued or running judge run',
			operationId: 'cancelJudgeRun',
			parameters: [idParam],
			responses: {
				'200': jsonBody(judgeRun),
				...authErrors,
				'404': problemResponse,
				'409': { ...problemResponse, description: 'It has already finished' },
			},
		},
	},
}
