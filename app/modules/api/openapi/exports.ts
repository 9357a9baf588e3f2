import { formatNames } from '#exports/formats/index.ts'
import { authErrors, jsonBody, problemResponse, slugParam } from './common.ts'
import { schemaRef } from './schemas.ts'

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }

const options = {
	type: 'object',
	additionalProperties: false,
	description: 'Every option is recorded in the manifest and on the dataset card.',
	properties: {
		aggregation: { type: 'string', enum: ['per-judgment', 'consensus'], default: 'per-judgment', description: 'One row set per judgment, or per item from its consensus (an adjudication wins)' },
		style: { type: 'string', enum: ['standard', 'conversational'], default: 'standard', description: 'trl-preference and trl-kto: plain strings or message lists' },
		ties: { type: 'string', enum: ['drop', 'raw'], default: 'drop', description: 'drop removes ties and both-bad; raw keeps them where the format can say so' },
		margin: { type: 'string', enum: ['none', 'llama2-small', 'llama2-large'], default: 'none', description: 'trl-preference only' },
		minAgreement: { type: 'number', minimum: 0, maximum: 1, description: 'Drop items whose agreement is below this (adjudicated items pass)' },
		minGoldAccuracy: { type: 'number', minimum: 0, maximum: 1, description: 'Exclude annotators whose accuracy on gold items is below this' },
		excludeAnnotators: { type: 'array', items: { type: 'string' }, description: 'Annotator pseudonyms to leave out' },
		onlyAdjudicated: { type: 'boolean', default: false },
		split: {
			type: 'object',
			required: ['test', 'seed'],
			properties: { test: { type: 'number', minimum: 0, maximum: 1 }, seed: { type: ['string', 'number'] } },
			description: 'Deterministic train/test split by a hash of the normalized prompt',
		},
		dedupe: { type: 'boolean', default: true },
		files: { type: 'array', items: { type: 'string', enum: ['parquet', 'jsonl'] }, default: ['parquet'] },
		gzip: { type: 'boolean', default: false, description: '.jsonl.gz instead of .jsonl' },
	},
}

const file = {
	type: 'object',
	required: ['path', 'bytes', 'sha256'],
	properties: { path: { type: 'string', example: 'data/train-00000-of-00001.parquet' }, bytes: { type: 'integer' }, sha256: { type: 'string' } },
}

const exportStatus = {
	type: 'object',
	required: ['id', 'status', 'progress', 'rows', 'files'],
	properties: {
		id: { type: 'string', format: 'uuid' },
		project: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' } } },
		format: { type: 'string', enum: formatNames },
		formatVersion: { type: ['integer', 'null'] },
		options: options,
		status: schemaRef('ExportStatus'),
		progress: { type: 'number', minimum: 0, maximum: 1 },
		rows: { type: 'integer', description: 'Rows written so far; all rows once succeeded' },
		counts: {
			type: ['object', 'null'],
			properties: { train: { type: 'integer' }, test: { type: 'integer' }, judgments: { type: 'integer' }, skipped: { type: 'object', additionalProperties: { type: 'integer' } } },
		},
		files: { type: 'array', items: file },
		available: { type: 'boolean', description: 'Succeeded and not yet pruned: the download works' },
		error: { type: 'string', description: 'Why it failed, or why the last attempt failed before a retry' },
		requestedBy: { type: ['string', 'null'] },
		createdAt: { type: 'string', format: 'date-time' },
		startedAt: { type: ['string', 'null'], format: 'date-time' },
		finishedAt: { type: ['string', 'null'], format: 'date-time' },
		cancelledAt: { type: ['string', 'null'], format: 'date-time' },
		manifest: { type: ['object', 'null'], description: 'With ?manifest=true: the manifest.json of a succeeded export' },
	},
}

export const exportPaths: Record<string, Record<string, unknown>> = {
	'/projects/{slug}/exports': {
		get: {
			summary: "List a project's exports (admins and engineers)",
			operationId: 'listProjectExports',
			parameters: [
				slugParam,
				{ name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
				{ name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
				{ name: 'sort', in: 'query', schema: { type: 'string', enum: ['createdAt', 'status', 'format'] } },
				{ name: 'dir', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
			],
			responses: {
				'200': jsonBody({ type: 'object', properties: { exports: { type: 'array', items: exportStatus }, total: { type: 'integer' } } }),
				...authErrors,
				'404': { ...problemResponse, description: 'No such project' },
			},
		},
		post: {
			summary: 'Request a dataset export (admins and engineers)',
			description: 'Validates the format and options, then queues the export for the worker. Poll `GET /exports/{id}` until it succeeds, then download it.',
			operationId: 'requestExport',
			parameters: [slugParam],
			requestBody: {
				required: true,
				content: {
					'application/json': {
						schema: { type: 'object', required: ['format'], additionalProperties: false, properties: { format: { type: 'string', enum: formatNames }, options } },
						example: { format: 'trl-preference', options: { style: 'conversational', split: { test: 0.1, seed: 'v1' }, files: ['parquet', 'jsonl'] } },
					},
				},
			},
			responses: {
				'202': { ...jsonBody(exportStatus, 'Queued; `Location` is the status URL'), headers: { Location: { schema: { type: 'string' } } } },
				...authErrors,
				'404': { ...problemResponse, description: 'No such project' },
				'422': { ...problemResponse, description: 'Invalid format or options; `errors` names each field' },
			},
		},
	},
	'/exports/{id}': {
		get: {
			summary: 'Status, progress, row counts and files of an export',
			operationId: 'getExport',
			parameters: [idParam, { name: 'manifest', in: 'query', schema: { type: 'boolean' }, description: 'Include the manifest' }],
			responses: { '200': jsonBody(exportStatus), ...authErrors, '404': { ...problemResponse, description: 'No such export' } },
		},
		delete: {
			summary: 'Cancel a queued or running export',
			description: 'The worker stops at its next batch and removes what it wrote. Cancelling a cancelled export is a no-op.',
			operationId: 'cancelExport',
			parameters: [idParam],
			responses: {
				'200': jsonBody(exportStatus, 'The export, now cancelled'),
				...authErrors,
				'404': { ...problemResponse, description: 'No such export' },
				'409': { ...problemResponse, description: 'The export already finished' },
			},
		},
	},
	'/exports/{id}/download': {
		get: {
			summary: 'Download a finished export as .tar.gz',
			description: 'A streamed gzip tar of the dataset folder (`README.md`, `manifest.json`, `data/…`) under one top directory. The same export always gives the same bytes.',
			operationId: 'downloadExport',
			parameters: [idParam],
			responses: {
				'200': { description: 'The archive', headers: { 'Content-Disposition': { schema: { type: 'string' } } }, content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } },
				...authErrors,
				'404': { ...problemResponse, description: 'No such export, or its files were pruned' },
				'409': { ...problemResponse, description: 'The export has not succeeded' },
			},
		},
	},
}
