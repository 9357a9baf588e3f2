import { authErrors, jsonBody, problemResponse, slugParam } from './common.ts'
import { ExportListQuerySchema } from '#app/modules/exports/export.schema.ts'
import { queryParameters, schemaRef } from './schemas.ts'

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }

const file = {
	type: 'object',
	required: ['path', 'bytes', 'sha256'],
	properties: {
		path: { type: 'string', example: 'data/train-00000-of-00001.parquet' },
		bytes: { type: 'integer' },
		sha256: { type: 'string' },
	},
}

const exportStatus = {
	type: 'object',
	required: ['id', 'status', 'progress', 'rows', 'files'],
	properties: {
		id: { type: 'string', format: 'uuid' },
		project: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' } } },
		format: schemaRef('FormatName'),
		formatVersion: { type: ['integer', 'null'] },
		options: schemaRef('ExportOptions'),
		status: schemaRef('ExportStatus'),
		progress: { type: 'number', minimum: 0, maximum: 1 },
		rows: { type: 'integer', description: 'Rows written so far; all rows once succeeded' },
		counts: {
			type: ['object', 'null'],
			properties: {
				train: { type: 'integer' },
				test: { type: 'integer' },
				judgments: { type: 'integer' },
				skipped: { type: 'object', additionalProperties: { type: 'integer' } },
			},
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
			parameters: [slugParam, ...queryParameters(ExportListQuerySchema)],
			responses: {
				'200': jsonBody({
					type: 'object',
					properties: { exports: { type: 'array', items: exportStatus }, total: { type: 'integer' } },
				}),
				...authErrors,
				'404': { ...problemResponse, description: 'No such project' },
			},
		},
		post: {
			summary: 'Request a dataset export (admins and engineers)',
			description:
				'Validates the format and options, then queues the export for the worker. Poll `GET /exports/{id}` until it succeeds, then download it. `aggregation: "dawid-skene"` gives one row set per item from its Dawid–Skene consensus, with a `confidence` column; `minConfidence` leaves out items below it; `raw` rows carry `confidence`, `annotator_reliability` and `source` (`human` or `model`). AI judges\' judgments are left out unless `annotators: "ai"` (theirs only) or `"all"` is given.',
			operationId: 'requestExport',
			parameters: [slugParam],
			requestBody: {
				required: true,
				content: {
					'application/json': {
						schema: schemaRef('ExportRequest'),
						example: {
							format: 'trl-preference',
							options: { style: 'conversational', split: { test: 0.1, seed: 'v1' }, files: ['parquet', 'jsonl'] },
						},
					},
				},
			},
			responses: {
				'202': {
					...jsonBody(exportStatus, 'Queued; `Location` is the status URL'),
					headers: { Location: { schema: { type: 'string' } } },
				},
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
			parameters: [
				idParam,
				{ name: 'manifest', in: 'query', schema: { type: 'boolean' }, description: 'Include the manifest' },
			],
			responses: {
				'200': jsonBody(exportStatus),
				...authErrors,
				'404': { ...problemResponse, description: 'No such export' },
			},
		},
		delete: {
			summary: 'Cancel a queued or running export',
			description:
				'The worker stops at its next batch and removes what it wrote. Cancelling a cancelled export is a no-op.',
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
			description:
				'A streamed gzip tar of the dataset folder (`README.md`, `manifest.json`, `data/…`) under one top directory. The same export always gives the same bytes.',
			operationId: 'downloadExport',
			parameters: [idParam],
			responses: {
				'200': {
					description: 'The archive',
					headers: { 'Content-Disposition': { schema: { type: 'string' } } },
					content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } },
				},
				...authErrors,
				'404': { ...problemResponse, description: 'No such export, or its files were pruned' },
				'409': { ...problemResponse, description: 'The export has not succeeded' },
			},
		},
	},
}
