import OpenAI from 'openai'
import type { ModelParams } from '#app/modules/models/model-endpoint.schema.ts'
import { describeFailure } from '#app/modules/models/describe-failure.ts'
import {
	chatRequest,
	NonJsonAnswerError,
	openAiClient,
	type ChatMessage,
	type EndpointConfig,
} from '#app/modules/models/openai-client.server.ts'

export type ModelAnswer = {
	/** What annotators see: reasoning, when there is any, leads as a `<think>` block (shown collapsed). */
	content: string
	answer: string
	reasoning: string | null
	finishReason: string | null
	usage: { promptTokens: number | null; completionTokens: number | null; totalTokens: number | null } | null
	latencyMs: number
}

export class ModelCallError extends Error {
	constructor(
		message: string,
		readonly retryable: boolean,
		readonly retryAfterMs: number | null,
		readonly attempts = 1,
		/** The HTTP status the server answered with, when it answered. */
		readonly status: number | null = null,
	) {
		super(message)
		this.name = 'ModelCallError'
	}
}

const INLINE_THINK = /^\s*<think>([\s\S]*?)(?:<\/think>|$)\s*/i

/** Splits reasoning from the answer, whether it came inline or in `reasoning_content` / `reasoning`. */
export function splitReasoning(message: { content?: string | null; reasoning_content?: unknown; reasoning?: unknown }) {
	const raw = message.content ?? ''
	const separate =
		typeof message.reasoning_content === 'string'
			? message.reasoning_content
			: typeof message.reasoning === 'string'
				? message.reasoning
				: null
	if (separate && separate.trim()) return { answer: raw.trim(), reasoning: separate.trim() }
	const inline = INLINE_THINK.exec(raw)
	if (inline) return { answer: raw.slice(inline[0].length).trim(), reasoning: inline[1]!.trim() || null }
	return { answer: raw, reasoning: null }
}

function retryAfterMs(headers: Headers | undefined) {
	const value = headers?.get('retry-after-ms') ?? null
	if (value && Number.isFinite(Number(value))) return Number(value)
	const seconds = headers?.get('retry-after')
	if (!seconds) return null
	if (/^\d+(\.\d+)?$/.test(seconds.trim())) return Number(seconds) * 1000
	const date = Date.parse(seconds)
	return Number.isNaN(date) ? null : Math.max(0, date - Date.now())
}

function classify(error: unknown, endpoint: EndpointConfig): ModelCallError {
	const message = describeFailure({
		error,
		baseUrl: endpoint.baseUrl,
		model: endpoint.model,
		timeoutSeconds: endpoint.timeoutSeconds,
	})
	if (error instanceof OpenAI.APIError && error.status !== undefined) {
		const status = error.status
		const retryable = status === 408 || status === 409 || status === 429 || status >= 500
		return new ModelCallError(message, retryable, retryable ? retryAfterMs(error.headers) : null, 1, status)
	}
	if (error instanceof OpenAI.APIUserAbortError) return new ModelCallError(message, false, null)
	// Timeouts, dropped connections, cut or malformed answers: worth another try.
	if (error instanceof OpenAI.APIConnectionError || error instanceof NonJsonAnswerError || error instanceof SyntaxError)
		return new ModelCallError(message, true, null)
	return new ModelCallError(message, true, null)
}

/**
 * A signal of the call's own that follows the run's. The SDK adds an abort listener to the signal
 * it is given and never removes it, so a run's one signal passed straight through gathers one
 * listener per call: thousands in a long run, each add slower than the last (EventTarget checks
 * for duplicates) and none ever freed. The call's signal is dropped with the call instead.
 */
export function callSignal(parent?: AbortSignal) {
	const controller = new AbortController()
	if (!parent) return { signal: controller.signal, release: () => {} }
	if (parent.aborted) controller.abort(parent.reason)
	const follow = () => controller.abort(parent.reason)
	parent.addEventListener('abort', follow, { once: true })
	return { signal: controller.signal, release: () => parent.removeEventListener('abort', follow) }
}

/** One chat completion, no retries. */
export async function callModel({
	endpoint,
	messages,
	params,
	signal,
}: {
	endpoint: EndpointConfig
	messages: ChatMessage[]
	params: ModelParams
	signal?: AbortSignal
}): Promise<ModelAnswer> {
	const client = openAiClient(endpoint)
	const started = performance.now()
	const call = callSignal(signal)
	let completion: OpenAI.Chat.Completions.ChatCompletion
	try {
		completion = await client.chat.completions.create(
			chatRequest({
				model: endpoint.model,
				messages,
				params,
			}) as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
			{ signal: call.signal },
		)
	} catch (error) {
		throw classify(error, endpoint)
	} finally {
		call.release()
	}
	const latencyMs = Math.round(performance.now() - started)
	const choice = completion?.choices?.[0]
	if (!choice?.message)
		throw new ModelCallError(`The server at ${new URL(endpoint.baseUrl).host} answered without a message.`, true, null)
	const { answer, reasoning } = splitReasoning(
		choice.message as { content?: string | null; reasoning_content?: unknown },
	)
	const usage = completion.usage
		? {
				promptTokens: completion.usage.prompt_tokens ?? null,
				completionTokens: completion.usage.completion_tokens ?? null,
				totalTokens: completion.usage.total_tokens ?? null,
			}
		: null
	return {
		content: reasoning ? `<think>\n${reasoning}\n</think>\n\n${answer}` : answer,
		answer,
		reasoning,
		finishReason: choice.finish_reason ?? null,
		usage,
		latencyMs,
	}
}

export type RetryPolicy = { attempts: number; baseDelayMs: number; maxDelayMs: number }

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 }

function sleep(ms: number, signal?: AbortSignal) {
	return new Promise<void>((resolve) => {
		if (signal?.aborted) return resolve()
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', done)
			resolve()
		}, ms)
		const done = () => {
			clearTimeout(timer)
			resolve()
		}
		signal?.addEventListener('abort', done, { once: true })
	})
}

/**
 * Retries 429, 5xx, timeouts and broken answers with exponential backoff and full jitter; a
 * server's Retry-After wins over the computed delay.
 */
export async function callModelWithRetries({
	policy = defaultRetryPolicy,
	onRetry,
	...call
}: Parameters<typeof callModel>[0] & {
	policy?: RetryPolicy
	onRetry?: (info: { attempt: number; delayMs: number; error: ModelCallError }) => void
}) {
	for (let attempt = 1; ; attempt++) {
		try {
			return { ...(await callModel(call)), attempts: attempt }
		} catch (error) {
			const failure = error instanceof ModelCallError ? error : new ModelCallError(String(error), false, null)
			if (!failure.retryable || attempt >= policy.attempts || call.signal?.aborted)
				throw new ModelCallError(failure.message, failure.retryable, null, attempt, failure.status)
			const backoff = Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
			const delayMs =
				failure.retryAfterMs !== null
					? Math.min(failure.retryAfterMs, policy.maxDelayMs) + Math.random() * policy.baseDelayMs * 0.1
					: backoff
			onRetry?.({ attempt, delayMs, error: failure })
			await sleep(delayMs, call.signal)
		}
	}
}
