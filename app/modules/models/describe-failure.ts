import OpenAI from 'openai'
import { NonJsonAnswerError, RedirectRefusedError } from './openai-client.server.ts'

function causes(error: unknown): unknown[] {
	const chain: unknown[] = []
	let current: unknown = error
	while (current && chain.length < 8) {
		chain.push(current)
		current = (current as { cause?: unknown }).cause
	}
	return chain
}

const codeOf = (error: unknown) => (error as { code?: unknown })?.code

function hostOf(baseUrl: string) {
	try {
		return new URL(baseUrl).host
	} catch {
		return baseUrl
	}
}

const TLS_CODES =
	/^(CERT_|ERR_TLS|ERR_SSL|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|ERR_OSSL|EPROTO$)/

/** One clear sentence for each way a call to an endpoint fails. */
export function describeFailure({
	error,
	baseUrl,
	model,
	timeoutSeconds,
	availableModels,
}: {
	error: unknown
	baseUrl: string
	model: string
	timeoutSeconds: number
	availableModels?: string[] | null
}): string {
	const host = hostOf(baseUrl)
	const chain = causes(error)
	const redirect = chain.find((cause) => cause instanceof RedirectRefusedError)
	if (redirect)
		return `The server redirected to ${redirect.location ?? 'another address'}; Quorum does not follow redirects, so use the final address as the base URL.`
	const nonJson = chain.find((cause) => cause instanceof NonJsonAnswerError)
	if (nonJson)
		return `The server at ${host} answered with something that is not JSON (it starts with ${JSON.stringify(nonJson.snippet.slice(0, 40))}); check that the base URL is the OpenAI-compatible /v1 root.`
	if (
		error instanceof OpenAI.APIConnectionTimeoutError ||
		chain.some((cause) => codeOf(cause) === 'ETIMEDOUT' || codeOf(cause) === 'UND_ERR_HEADERS_TIMEOUT')
	) {
		return `The server at ${host} did not answer within ${timeoutSeconds} seconds (timeout).`
	}
	const codes = chain.map(codeOf).filter((code): code is string => typeof code === 'string')
	if (codes.includes('ECONNREFUSED'))
		return `Nothing is listening at ${host} (connection refused); is the model server running on that port?`
	if (codes.some((code) => code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME'))
		return `The host name "${host.replace(/:\d+$/, '')}" could not be resolved (DNS); check the base URL.`
	if (
		codes.some((code) => TLS_CODES.test(code)) ||
		chain.some((cause) => cause instanceof Error && /certificate|SSL|TLS/i.test(cause.message))
	) {
		return `The TLS connection to ${host} failed (${codes.find((code) => TLS_CODES.test(code)) ?? 'certificate or protocol error'}); check the certificate, or use http:// for a local server.`
	}
	if (codes.includes('ECONNRESET') || codes.includes('UND_ERR_SOCKET'))
		return `The server at ${host} closed the connection before answering.`
	if (error instanceof OpenAI.APIError && error.status !== undefined) {
		if (error.status === 401 || error.status === 403)
			return `The server refused the request (${error.status}): the API key is missing, wrong or not allowed to use this model.`
		const unknownModel = error.status === 404 || (error.status === 400 && /model/i.test(error.message))
		if (unknownModel && availableModels) {
			const listed = availableModels.length ? availableModels.slice(0, 20).join(', ') : 'none'
			return `The server does not know the model "${model}"; it has: ${listed}.`
		}
		if (error.status === 404)
			return `The server answered 404 for ${host}; check that the base URL ends with the /v1 root.`
		if (error.status === 429)
			return `The server is rate limiting requests (429); try again later or lower the concurrency.`
		return `The server answered ${error.status}: ${error.message.slice(0, 200)}`
	}
	if (error instanceof OpenAI.APIUserAbortError) return 'The request was cancelled.'
	return `The call failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`
}
