import { authErrors, cursorParams, jsonBody, problemResponse, slugParam } from './common.ts'

const leaseParam = { name: 'leaseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }

const judgmentBody = {
	type: 'object',
	required: ['ranking', 'idempotencyKey'],
	properties: {
		ranking: {
			type: 'array',
			items: { type: 'array', items: { type: 'string' } },
			description: 'Tiers of response ids, best first; a tie shares a tier',
		},
		bothBad: { type: 'boolean' },
		strength: {
			type: 'integer',
			minimum: 0,
			maximum: 3,
			description: '0 negligible, 1 slight, 2 clear, 3 significant',
		},
		criteria: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } } },
		flags: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
		rationale: { type: 'string' },
		activeMs: { type: 'integer', minimum: 0 },
		idempotencyKey: { type: 'string', description: 'A client-chosen key; a replay returns the original judgment' },
	},
}

const judgment = {
	type: 'object',
	properties: {
		id: { type: 'string', format: 'uuid' },
		itemId: { type: 'string', format: 'uuid' },
		leaseId: { type: ['string', 'null'] },
		revision: { type: 'integer' },
		ranking: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
		bothBad: { type: 'boolean' },
		strength: { type: ['integer', 'null'] },
		createdAt: { type: 'string', format: 'date-time' },
		updatedAt: { type: 'string', format: 'date-time' },
	},
}

const leasedItem = {
	type: 'object',
	properties: {
		lease: {
			type: 'object',
			properties: { id: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
		},
		item: {
			type: 'object',
			properties: {
				id: { type: 'string' },
				externalId: { type: 'string' },
				context: { type: 'object', description: '{prompt} or {messages: [{role, content}]}' },
				responses: {
					type: 'array',
					items: { type: 'object', properties: { id: { type: 'string' }, content: { type: 'string' } } },
					description: 'In display order',
				},
			},
		},
		project: {
			type: 'object',
			properties: {
				taskType: { type: 'string' },
				criteria: { type: 'array' },
				flags: { type: 'array' },
				strength: { type: 'boolean' },
			},
		},
	},
}

const submitted = {
	type: 'object',
	properties: {
		judgment,
		replay: { type: 'boolean' },
		next: {
			oneOf: [leasedItem, { type: 'null' }],
			description:
				'Only with `next`: the next leased item, claimed in the same round trip, or null when there is none now. A replay claims nothing: it returns the lease the caller still holds, if any.',
		},
	},
}

export const assignmentPaths: Record<string, Record<string, unknown>> = {
	'/projects/{slug}/assignments/next': {
		post: {
			summary: 'Lease the next unit of work for the caller',
			operationId: 'nextAssignment',
			parameters: [slugParam],
			responses: {
				'200': jsonBody(
					{
						type: 'object',
						properties: {
							lease: {
								type: 'object',
								properties: { id: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
							},
							item: {
								type: 'object',
								properties: {
									id: { type: 'string' },
									externalId: { type: 'string' },
									context: { type: 'object', description: '{prompt} or {messages: [{role, content}]}' },
									responses: {
										type: 'array',
										items: { type: 'object', properties: { id: { type: 'string' }, content: { type: 'string' } } },
										description: 'In display order',
									},
								},
							},
							project: {
								type: 'object',
								properties: {
									taskType: { type: 'string' },
									criteria: { type: 'array' },
									flags: { type: 'array' },
									strength: { type: 'boolean' },
								},
							},
						},
					},
					'The leased item',
				),
				'204': { description: 'No work for this person now' },
				'409': { ...problemResponse, description: 'The project is paused, archived or a draft' },
				...authErrors,
			},
		},
	},
	'/assignments/{leaseId}/judgment': {
		post: {
			summary: 'Submit a judgment for a lease',
			operationId: 'submitJudgment',
			parameters: [
				leaseParam,
				{ name: 'next', in: 'query', schema: { type: 'boolean' }, description: 'As `"next": true` in the body' },
			],
			requestBody: {
				required: true,
				...jsonBody({
					...judgmentBody,
					properties: {
						...judgmentBody.properties,
						next: { type: 'boolean', description: 'Also lease the next item, in the same request' },
					},
				}),
			},
			responses: {
				'201': jsonBody(submitted, 'Stored'),
				'200': jsonBody(submitted, 'An idempotent replay; nothing changed'),
				'409': {
					...problemResponse,
					description: 'The lease expired and the item is complete, or it was already submitted',
				},
				'422': { ...problemResponse, description: 'Field errors' },
				...authErrors,
			},
		},
	},
	'/assignments/{leaseId}/skip': {
		post: {
			summary: 'Skip a leased item; it is never served to the caller again',
			operationId: 'skipAssignment',
			parameters: [leaseParam],
			requestBody: jsonBody({ type: 'object', properties: { reason: { type: 'string' } } }),
			responses: { '200': { description: 'Skipped' }, ...authErrors },
		},
	},
	'/assignments/{leaseId}/renew': {
		post: {
			summary: 'Extend a lease while the item is being worked on',
			operationId: 'renewAssignment',
			parameters: [leaseParam],
			responses: {
				'200': { description: 'Renewed' },
				'409': { ...problemResponse, description: 'Expired or closed' },
				...authErrors,
			},
		},
	},
	'/me/judgments': {
		get: {
			summary: "The caller's judgments, newest first",
			operationId: 'listMyJudgments',
			parameters: [{ name: 'project', in: 'query', schema: { type: 'string' } }, ...cursorParams],
			responses: { '200': { description: '{judgments, nextCursor}' }, ...authErrors },
		},
	},
	'/judgments/{id}': {
		patch: {
			summary: 'Edit a judgment; appends a revision',
			operationId: 'editJudgment',
			parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
			requestBody: { required: true, ...jsonBody(judgmentBody) },
			responses: {
				'200': jsonBody({ type: 'object', properties: { judgment } }),
				'422': problemResponse,
				...authErrors,
			},
		},
	},
	'/projects/{slug}/judgments': {
		get: {
			summary:
				"Every judgment of a project with its latest revision (admins, reviewers, engineers); people's unless `annotators` asks for AI judges' (`ai`) or both (`all`). Each carries its `source`.",
			operationId: 'listProjectJudgments',
			parameters: [
				slugParam,
				...cursorParams,
				{
					name: 'annotators',
					in: 'query',
					required: false,
					schema: { type: 'string', enum: ['human', 'ai', 'all'], default: 'human' },
					description: "Whose judgments: people's (default), AI judges' only, or both",
				},
			],
			responses: { '200': { description: '{judgments, nextCursor}' }, ...authErrors },
		},
	},
}
