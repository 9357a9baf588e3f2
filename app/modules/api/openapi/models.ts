import { authErrors, jsonBody, problemResponse, slugParam } from './common.ts'

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }

const params = {
	type: 'object',
	additionalProperties: false,
	properties: {
		temperature: { type: 'number', minimum: 0, maximum: 2 },
		top_p: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
		max_tokens: { type: 'integer', minimum: 1 },
		seed: { type: 'integer' },
		system: { type: 'string', description: 'A system prompt sent as the first chat turn' },
		extra: {
			type: 'object',
			additionalProperties: true,
			description: "Passed through in the request body, e.g. Ollama's options",
		},
	},
}

const endpointInput = {
	type: 'object',
	required: ['name', 'baseUrl', 'model'],
	additionalProperties: false,
	properties: {
		name: { type: 'string' },
		baseUrl: {
			type: 'string',
			format: 'uri',
			example: 'http://localhost:11434/v1',
			description: 'The OpenAI-compatible /v1 root',
		},
		model: { type: 'string', example: 'llama3.1:8b' },
		apiKey: { type: ['string', 'null'], description: 'Encrypted at rest; never returned, only its last 4 characters' },
		params,
		concurrency: { type: 'integer', minimum: 1, maximum: 256, default: 4 },
		timeoutSeconds: { type: 'integer', minimum: 1, maximum: 3600, default: 120 },
	},
}

const endpoint = {
	type: 'object',
	required: ['id', 'name', 'baseUrl', 'model', 'apiKey', 'params', 'concurrency', 'timeoutSeconds'],
	properties: {
		id: { type: 'string', format: 'uuid' },
		name: { type: 'string' },
		baseUrl: { type: 'string' },
		model: { type: 'string' },
		apiKey: { type: ['object', 'null'], properties: { last4: { type: 'string' } } },
		params,
		concurrency: { type: 'integer' },
		timeoutSeconds: { type: 'integer' },
		createdAt: { type: 'string', format: 'date-time' },
		updatedAt: { type: 'string', format: 'date-time' },
	},
}

const testResult = {
	type: 'object',
	required: ['ok'],
	properties: {
		ok: { type: 'boolean' },
		latencyMs: { type: 'integer', description: 'Of the one-token completion, when ok' },
		message: {
			type: 'string',
			description:
				'One sentence saying what failed: connection refused, DNS, 401/403, unknown model, timeout, non-JSON answer, TLS',
		},
		step: { type: 'string', enum: ['models', 'completion'] },
		models: { type: ['array', 'null'], items: { type: 'string' }, description: 'What GET /models listed' },
	},
}

const generation = {
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
				tasks: { type: 'integer', description: 'Responses to generate: items × endpoints × samples' },
				done: { type: 'integer' },
				failed: { type: 'integer' },
				pending: { type: 'integer' },
				itemsOpened: { type: 'integer', description: 'Items that now have enough responses and are served' },
				itemsMarked: {
					type: 'integer',
					description: 'Items left closed because their responses stayed near-duplicates',
				},
			},
		},
		errors: {
			type: 'array',
			items: {
				type: 'object',
				properties: {
					itemId: { type: 'string' },
					externalId: { type: 'string' },
					endpoint: { type: 'string' },
					sample: { type: 'integer' },
					message: { type: 'string' },
				},
			},
		},
		options: { type: 'object' },
		error: { type: ['string', 'null'] },
		createdAt: { type: 'string', format: 'date-time' },
		startedAt: { type: ['string', 'null'], format: 'date-time' },
		finishedAt: { type: ['string', 'null'], format: 'date-time' },
	},
}

const generationRequest = {
	type: 'object',
	required: ['endpoints'],
	additionalProperties: false,
	properties: {
		endpoints: {
			type: 'array',
			minItems: 1,
			items: {
				type: 'object',
				required: ['id'],
				properties: {
					id: { type: 'string', description: 'The endpoint id or its name' },
					samples: { type: 'integer', minimum: 1, maximum: 9, default: 1 },
					params,
				},
			},
		},
		items: {
			type: 'object',
			description: 'Which items: all that wait for responses (the default), narrowed by metadata equality',
			properties: {
				filter: { type: 'object', properties: { metadata: { type: 'object', additionalProperties: true } } },
			},
		},
		system: { type: 'string', description: 'A system prompt for this run, replacing the endpoints’ own' },
	},
}

export const modelPaths: Record<string, Record<string, unknown>> = {
	'/model-endpoints': {
		get: {
			summary: 'List model endpoints (admins and engineers)',
			operationId: 'listModelEndpoints',
			responses: {
				'200': jsonBody({ type: 'object', properties: { endpoints: { type: 'array', items: endpoint } } }),
				...authErrors,
			},
		},
		post: {
			summary: 'Register an OpenAI-compatible endpoint (admins)',
			operationId: 'createModelEndpoint',
			requestBody: { required: true, content: { 'application/json': { schema: endpointInput } } },
			responses: {
				'201': jsonBody(endpoint, 'Created'),
				...authErrors,
				'409': { ...problemResponse, description: 'The name is taken' },
				'422': { ...problemResponse, description: 'Invalid fields' },
			},
		},
	},
	'/model-endpoints/{id}': {
		get: {
			summary: 'One endpoint (admins)',
			operationId: 'getModelEndpoint',
			parameters: [idParam],
			responses: { '200': jsonBody(endpoint), ...authErrors, '404': problemResponse },
		},
		patch: {
			summary: 'Change an endpoint (admins); apiKey null removes the key, leaving it out keeps it',
			operationId: 'updateModelEndpoint',
			parameters: [idParam],
			requestBody: { required: true, content: { 'application/json': { schema: { ...endpointInput, required: [] } } } },
			responses: {
				'200': jsonBody(endpoint),
				...authErrors,
				'404': problemResponse,
				'409': problemResponse,
				'422': problemResponse,
			},
		},
		delete: {
			summary: 'Delete an endpoint (admins)',
			operationId: 'deleteModelEndpoint',
			parameters: [idParam],
			responses: {
				'204': { description: 'Deleted' },
				...authErrors,
				'404': problemResponse,
				'409': { ...problemResponse, description: 'A running generation uses it' },
			},
		},
	},
	'/model-endpoints/{id}/test': {
		post: {
			summary: 'Call GET /models, then ask for a one-token completion (admins)',
			operationId: 'testModelEndpoint',
			parameters: [idParam],
			responses: {
				'200': jsonBody(testResult, 'The latency, or one sentence saying what failed'),
				...authErrors,
				'404': problemResponse,
			},
		},
	},
	'/projects/{slug}/generations': {
		get: {
			summary: "A project's generation runs, newest first (admins and engineers)",
			operationId: 'listGenerations',
			parameters: [slugParam],
			responses: {
				'200': jsonBody({ type: 'object', properties: { generations: { type: 'array', items: generation } } }),
				...authErrors,
				'404': problemResponse,
			},
		},
		post: {
			summary: 'Generate responses for items that wait for them (admins and engineers)',
			operationId: 'createGeneration',
			parameters: [slugParam],
			requestBody: { required: true, content: { 'application/json': { schema: generationRequest } } },
			responses: {
				'202': jsonBody(generation, 'Queued'),
				...authErrors,
				'404': problemResponse,
				'422': problemResponse,
			},
		},
	},
	'/generations/{id}': {
		get: {
			summary: 'Status, progress with ETA, counts and per-item errors of a run',
			operationId: 'getGeneration',
			parameters: [idParam],
			responses: { '200': jsonBody(generation), ...authErrors, '404': problemResponse },
		},
		delete: {
			summary: 'Cancel a queued or running generation',
			operationId: 'cancelGeneration',
			parameters: [idParam],
			responses: {
				'200': jsonBody(generation),
				...authErrors,
				'404': problemResponse,
				'409': { ...problemResponse, description: 'It has already finished' },
			},
		},
	},
}
