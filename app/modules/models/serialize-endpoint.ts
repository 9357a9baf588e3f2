import type { ModelParams } from './model-endpoint.schema.ts'

type EndpointRow = {
	id: string
	name: string
	baseUrl: string
	model: string
	apiKeyLast4: string | null
	params: unknown
	concurrency: number
	timeoutSeconds: number
	createdAt: Date
	updatedAt: Date
}

/** The API and UI view: the key itself never leaves the server, only its last 4 characters. */
export function serializeEndpoint(row: EndpointRow) {
	return {
		id: row.id,
		name: row.name,
		baseUrl: row.baseUrl,
		model: row.model,
		apiKey: row.apiKeyLast4 ? { last4: row.apiKeyLast4 } : null,
		params: (row.params ?? {}) as ModelParams,
		concurrency: row.concurrency,
		timeoutSeconds: row.timeoutSeconds,
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString(),
	}
}
export type SerializedEndpoint = ReturnType<typeof serializeEndpoint>

export const endpointSelect = {
	id: true,
	name: true,
	baseUrl: true,
	model: true,
	apiKeyLast4: true,
	params: true,
	concurrency: true,
	timeoutSeconds: true,
	createdAt: true,
	updatedAt: true,
} as const
