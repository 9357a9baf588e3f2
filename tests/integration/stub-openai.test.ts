import { getEventListeners } from 'node:events'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { callModel, callModelWithRetries, ModelCallError } from '#app/modules/generations/call-model.server.ts'
import type { EndpointConfig } from '#app/modules/models/openai-client.server.ts'
import { startStubOpenAi, type StubOpenAi } from '#tests/helpers/stub-openai.ts'

let stub: StubOpenAi
let endpoint: EndpointConfig
const fast = { attempts: 4, baseDelayMs: 20, maxDelayMs: 2_000 }
const messages = [{ role: 'user' as const, content: 'Name a colour.' }]

beforeAll(async () => {
	stub = await startStubOpenAi()
	endpoint = {
		id: 'e',
		name: 'stub',
		baseUrl: stub.baseUrl,
		model: 'stub-model',
		apiKeyEncrypted: null,
		params: {},
		concurrency: 2,
		timeoutSeconds: 30,
	}
})
beforeEach(() => {
	stub.requests.length = 0
})
afterAll(async () => {
	await stub.close()
})

describe('the stub OpenAI-compatible server', () => {
	test('answers normally, with usage and finish_reason', async () => {
		stub.script({ kind: 'answer', content: 'Blue.' })
		const answer = await callModel({
			endpoint,
			messages,
			params: { temperature: 0.2, max_tokens: 10, extra: { options: { num_ctx: 2048 } } },
		})
		expect(answer).toMatchObject({
			content: 'Blue.',
			reasoning: null,
			finishReason: 'stop',
			usage: { promptTokens: 12, completionTokens: 1, totalTokens: 13 },
		})
		expect(stub.requests[0]!.body).toMatchObject({
			model: 'stub-model',
			temperature: 0.2,
			max_tokens: 10,
			options: { num_ctx: 2048 },
			messages,
		})
	})

	test('inline <think> and reasoning_content both become a leading think block, kept apart as reasoning', async () => {
		stub.script(
			{ kind: 'answer', content: 'Red.', reasoning: 'Warm colours first.', inlineThink: true },
			{ kind: 'answer', content: 'Green.', reasoning: 'Think of grass.' },
		)
		const inline = await callModel({ endpoint, messages, params: {} })
		expect(inline).toMatchObject({
			answer: 'Red.',
			reasoning: 'Warm colours first.',
			content: '<think>\nWarm colours first.\n</think>\n\nRed.',
		})
		const separate = await callModel({ endpoint, messages, params: {} })
		expect(separate).toMatchObject({
			answer: 'Green.',
			reasoning: 'Think of grass.',
			content: '<think>\nThink of grass.\n</think>\n\nGreen.',
		})
	})

	test('429 with Retry-After, then success: the retry waits as told', async () => {
		stub.script({ kind: 'rate-limit', retryAfterSeconds: 1 }, { kind: 'answer', content: 'Yellow.' })
		const delays: number[] = []
		const answer = await callModelWithRetries({
			endpoint,
			messages,
			params: {},
			policy: fast,
			onRetry: ({ delayMs }) => delays.push(delayMs),
		})
		expect(answer).toMatchObject({ content: 'Yellow.', attempts: 2 })
		expect(delays).toHaveLength(1)
		expect(delays[0]).toBeGreaterThanOrEqual(1_000)
	})

	test('500 is retried; a lasting 500 fails after the last attempt with one sentence', async () => {
		stub.script({ kind: 'error', status: 500 }, { kind: 'answer', content: 'Purple.' })
		expect(await callModelWithRetries({ endpoint, messages, params: {}, policy: fast })).toMatchObject({
			content: 'Purple.',
			attempts: 2,
		})
		stub.script(...Array.from({ length: 4 }, () => ({ kind: 'error' as const, status: 500 })))
		const failure = await callModelWithRetries({ endpoint, messages, params: {}, policy: fast }).catch(
			(error: unknown) => error,
		)
		expect(failure).toBeInstanceOf(ModelCallError)
		expect(failure).toMatchObject({ attempts: 4, message: expect.stringMatching(/^The server answered 500/) })
	})

	test("calls sharing a run's signal leave no listener on it, and aborting it still ends a call in flight", async () => {
		const run = new AbortController()
		for (let n = 0; n < 20; n++) await callModel({ endpoint, messages, params: {}, signal: run.signal })
		expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)

		stub.script({ kind: 'hang' })
		const hanging = callModel({ endpoint, messages, params: {}, signal: run.signal })
		await vi.waitFor(() => expect(stub.requests).toHaveLength(21), { timeout: 10_000 })
		expect(getEventListeners(run.signal, 'abort')).toHaveLength(1)
		run.abort()
		await expect(hanging).rejects.toBeInstanceOf(ModelCallError)
		expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
	})

	test('a request hanging past the timeout is retried', async () => {
		stub.script({ kind: 'hang' }, { kind: 'answer', content: 'Orange.' })
		const answer = await callModelWithRetries({
			endpoint: { ...endpoint, timeoutSeconds: 1 },
			messages,
			params: {},
			policy: fast,
		})
		expect(answer).toMatchObject({ content: 'Orange.', attempts: 2 })
	})

	test('malformed JSON is a clear failure, retried', async () => {
		stub.script({ kind: 'malformed' })
		await expect(callModel({ endpoint, messages, params: {} })).rejects.toMatchObject({
			retryable: true,
			message: expect.stringMatching(/not JSON/),
		})
		stub.script({ kind: 'malformed' }, { kind: 'answer', content: 'Teal.' })
		expect(await callModelWithRetries({ endpoint, messages, params: {}, policy: fast })).toMatchObject({
			content: 'Teal.',
			attempts: 2,
		})
	})

	test('an answer cut halfway is retried; a cut stream fails the SDK stream', async () => {
		stub.script({ kind: 'cut' }, { kind: 'answer', content: 'Grey.' })
		expect(await callModelWithRetries({ endpoint, messages, params: {}, policy: fast })).toMatchObject({
			content: 'Grey.',
			attempts: 2,
		})

		const client = new OpenAI({ baseURL: stub.baseUrl, apiKey: 'none', maxRetries: 0 })
		stub.script({ kind: 'cut' })
		const received: string[] = []
		const reading = (async () => {
			const stream = await client.chat.completions.create({ model: 'stub-model', messages, stream: true })
			for await (const part of stream) received.push(part.choices[0]?.delta?.content ?? '')
		})()
		await expect(reading).rejects.toThrow()
		expect(received.join('')).toBe('The first half')
	})

	test('streams SSE chunks with reasoning_content, content and usage', async () => {
		const client = new OpenAI({ baseURL: stub.baseUrl, apiKey: 'none', maxRetries: 0 })
		stub.script({ kind: 'answer', content: 'Streaming works.', reasoning: 'Short thought.' })
		const stream = await client.chat.completions.create({ model: 'stub-model', messages, stream: true })
		let content = ''
		let reasoning = ''
		let finish: string | null = null
		for await (const part of stream) {
			const delta = part.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined
			content += delta?.content ?? ''
			reasoning += delta?.reasoning_content ?? ''
			finish = part.choices[0]?.finish_reason ?? finish
		}
		expect({ content, reasoning, finish }).toEqual({
			content: 'Streaming works.',
			reasoning: 'Short thought.',
			finish: 'stop',
		})
	})

	test('the same text twice, on request', async () => {
		stub.script({ kind: 'answer', content: 'Same answer.' }, { kind: 'answer', content: 'Same answer.' })
		const first = await callModel({ endpoint, messages, params: {} })
		const second = await callModel({ endpoint, messages, params: {} })
		expect(second.content).toBe(first.content)
	})

	test('finish_reason length comes through', async () => {
		stub.script({ kind: 'answer', content: 'A long answer that was cut', finishReason: 'length' })
		expect(await callModel({ endpoint, messages, params: { max_tokens: 5 } })).toMatchObject({ finishReason: 'length' })
	})

	test('default answers differ from each other', async () => {
		const first = await callModel({ endpoint, messages, params: {} })
		const second = await callModel({ endpoint, messages, params: {} })
		expect(first.content).not.toBe(second.content)
	})
})
