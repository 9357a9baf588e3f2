import { sql } from '#app/utils/db.server.ts'
import type { EndpointConfig } from './openai-client.server.ts'

/** The endpoints a run calls, by id, with their encrypted key (decrypted only by the client). */
export async function loadEndpointConfigs({ ids }: { ids: string[] }): Promise<Map<string, EndpointConfig>> {
	const rows = await sql<{
		id: string
		name: string
		base_url: string
		model: string
		api_key_encrypted: Uint8Array | null
		params: unknown
		concurrency: number
		timeout_seconds: number
	}>({
		text: `SELECT id::text, name, base_url, model, api_key_encrypted, params, concurrency, timeout_seconds FROM model_endpoints WHERE id = ANY($1::uuid[])`,
		values: [ids],
	})
	return new Map(
		rows.map((row) => [
			row.id,
			{
				id: row.id,
				name: row.name,
				baseUrl: row.base_url,
				model: row.model,
				apiKeyEncrypted: row.api_key_encrypted,
				params: row.params,
				concurrency: row.concurrency,
				timeoutSeconds: row.timeout_seconds,
			} satisfies EndpointConfig,
		]),
	)
}
