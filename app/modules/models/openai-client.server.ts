import OpenAI from 'openai'
import { decryptSecret } from '#app/modules/secrets/secret-key.server.ts'
import type { ModelParams } from './model-endpoint.schema.ts'

export type EndpointConfig = {
	id: string
	name: string
	baseUrl: string
	model: string
	apiKeyEncrypted: Uint8Array | null
	params: unknown
	concurrency: number
	timeoutSeconds: number
}

/** A 2xx answer that is not JSON: the base URL usually points at a web page, not the /v1 root. */
export class NonJsonAnswerError extends Error {
	constructor(
		readonly url: string,
		readonly snippet: string,
	) {
		super(`${url} answered with something that is not JSON`)
		this.name = 'NonJsonAnswerError'
	}
}

/** Quorum calls only the configured address: a redirect is reported, never followed. */
export class RedirectRefusedError extends Error {
	constructor(
		readonly url: string,
		readonly location: string | null,
	) {
		super(`${url} redirected to ${location ?? 'another address'}`)
		this.name = 'RedirectRefusedError'
	}
}

/**
 * The SDK's fetch, with two guards: redirects are not followed, and a successful answer that is
 * not JSON (nor an event stream) fails with a clear error instead of a parse error deep inside.
 */
export const guardedFetch: typeof fetch = async (input, init) => {
	const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
	const response = await fetch(input, { ...init, redirect: 'manual' })
	if (response.status >= 300 && response.status < 400) {
		await response.body?.cancel().catch(() => {})
		throw new RedirectRefusedError(url, response.headers.get('location'))
	}
	if (!response.ok) return response
	const type = response.headers.get('content-type') ?? ''
	if (type.includes('text/event-stream')) return response
	const text = await response.text()
	try {
		JSON.parse(text)
	} catch {
		throw new NonJsonAnswerError(url, text.slice(0, 80))
	}
	const headers = new Headers(response.headers)
	headers.set('content-type', 'application/json')
	return new Response(text, { status: response.status, statusText: response.statusText, headers })
}

export function openAiClient(endpoint: Pick<EndpointConfig, 'baseUrl' | 'apiKeyEncrypted' | 'timeoutSeconds'>) {
	return new OpenAI({
		baseURL: endpoint.baseUrl,
		// Local servers take no key, but the SDK insists on one.
		apiKey: endpoint.apiKeyEncrypted ? decryptSecret(endpoint.apiKeyEncrypted) : 'none',
		timeout: endpoint.timeoutSeconds * 1000,
		maxRetries: 0,
		fetch: guardedFetch,
	})
}

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string }

/** The request body: endpoint defaults, then the run's overrides; `system` becomes the first turn. */
export function chatRequest({
	model,
	messages,
	params,
}: {
	model: string
	messages: ChatMessage[]
	params: ModelParams
}) {
	const { system, extra, ...sampling } = params
	const turns =
		system && messages[0]?.role !== 'system'
			? [{ role: 'system' as const, content: system }, ...messages]
			: system
				? [{ role: 'system' as const, content: system }, ...messages.slice(1)]
				: messages
	return { ...(extra ?? {}), ...sampling, model, messages: turns, stream: false as const }
}
