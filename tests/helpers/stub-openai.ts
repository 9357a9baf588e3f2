import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the stub does with one chat-completion request. */
export type StubBehaviour =
	| {
			kind: 'answer'
			content?: string
			reasoning?: string
			inlineThink?: boolean
			finishReason?: 'stop' | 'length'
	  }
	| { kind: 'rate-limit'; retryAfterSeconds: number }
	| { kind: 'error'; status: number }
	| { kind: 'hang' }
	| { kind: 'malformed' }
	| { kind: 'cut' }
	| {
			kind: 'judge'
			/** first: always the first-shown response; longer: the longer one; honest: the one containing `marker`. */
			mode: 'first' | 'longer' | 'honest'
			marker?: string
			confidence?: number
			/** Wrap the JSON in prose and a code fence, as chatty models do. */
			chatty?: boolean
	  }

export type StubRequest = { path: string; body: Record<string, unknown>; authorization: string | undefined }

export type StubOpenAi = {
	url: string
	/** The base URL clients use: `${url}/v1`. */
	baseUrl: string
	models: string[]
	/** Answers 401 unless the request carries this bearer key. */
	apiKey: string | null
	/** Every chat-completion request received, in order. */
	requests: StubRequest[]
	/** Behaviours for the next requests, consumed one per request; after them, `fallback` answers. */
	script: (...behaviours: StubBehaviour[]) => void
	fallback: (request: StubRequest, index: number) => StubBehaviour
	/** Answers every request (models too) with an HTML page, as a web server would. */
	html: boolean
	/** Answers 400 to any request that carries `response_format`, as servers without structured output do. */
	rejectResponseFormat: boolean
	/** The most chat-completion requests open at once so far (reset it to 0 to measure afresh). */
	maxInFlight: number
	/**
	 * When set, chat-completion requests are held until this many are open at once; then all go on
	 * and it resets to 0. A test that must see requests overlap waits for that, not for time.
	 */
	holdUntilInFlight: number
	close: () => Promise<void>
}

const WORDS =
	'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(
		' ',
	)

/** A distinct, deterministic answer per request, so default answers are never near-duplicates. */
export function distinctText(seed: number, model: string) {
	let state = (seed * 2654435761 + 12345) >>> 0
	const words: string[] = []
	for (let i = 0; i < 14; i++) {
		state = (state * 1103515245 + 12345) >>> 0
		words.push(WORDS[state % WORDS.length]!)
	}
	return `${model} answer ${seed}: ${words.join(' ')}.`
}

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = []
		request.on('data', (chunk: Buffer) => chunks.push(chunk))
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
		request.on('error', reject)
	})
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	response.writeHead(status, { 'content-type': 'application/json', ...headers })
	response.end(JSON.stringify(body))
}

/**
 * A small OpenAI-compatible server for tests: `GET /v1/models` and `POST /v1/chat/completions`,
 * non-streaming and SSE, scriptable per request.
 */
export async function startStubOpenAi({
	models = ['stub-model'],
	apiKey = null,
}: { models?: string[]; apiKey?: string | null } = {}): Promise<StubOpenAi> {
	const queue: StubBehaviour[] = []
	const hanging = new Set<ServerResponse>()
	const held: (() => void)[] = []
	let counter = 0
	let inFlight = 0
	const stub: StubOpenAi = {
		url: '',
		baseUrl: '',
		models,
		apiKey,
		requests: [],
		script: (...behaviours) => queue.push(...behaviours),
		fallback: () => ({ kind: 'answer' }),
		html: false,
		rejectResponseFormat: false,
		maxInFlight: 0,
		holdUntilInFlight: 0,
		close: async () => {
			for (const release of held.splice(0)) release()
			for (const response of hanging) response.destroy()
			server.closeAllConnections()
			await new Promise<void>((resolve) => server.close(() => resolve()))
		},
	}

	const server: Server = createServer(async (request, response) => {
		const path = (request.url ?? '').split('?')[0]!
		const text = await readBody(request)
		if (stub.html) {
			response.writeHead(200, { 'content-type': 'text/html' })
			response.end('<!doctype html><html><body>Welcome</body></html>')
			return
		}
		if (stub.apiKey && request.headers.authorization !== `Bearer ${stub.apiKey}`) {
			sendJson(response, 401, {
				error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
			})
			return
		}
		if (request.method === 'GET' && path === '/v1/models') {
			sendJson(response, 200, {
				object: 'list',
				data: stub.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'stub' })),
			})
			return
		}
		if (request.method !== 'POST' || path !== '/v1/chat/completions') {
			sendJson(response, 404, { error: { message: `No route ${request.method} ${path}` } })
			return
		}
		let body: Record<string, unknown>
		try {
			body = JSON.parse(text) as Record<string, unknown>
		} catch {
			sendJson(response, 400, { error: { message: 'invalid JSON body' } })
			return
		}
		const model = String(body.model)
		if (!stub.models.includes(model)) {
			sendJson(response, 404, {
				error: { message: `model "${model}" not found, try pulling it first`, type: 'not_found_error' },
			})
			return
		}
		if (stub.rejectResponseFormat && body.response_format) {
			sendJson(response, 400, {
				error: { message: "Invalid parameter: 'response_format' is not supported", type: 'invalid_request_error' },
			})
			return
		}
		const record: StubRequest = { path, body, authorization: request.headers.authorization }
		const index = stub.requests.length
		stub.requests.push(record)
		const behaviour = queue.shift() ?? stub.fallback(record, index)
		counter += 1
		inFlight += 1
		stub.maxInFlight = Math.max(stub.maxInFlight, inFlight)
		response.on('close', () => (inFlight -= 1))
		if (stub.holdUntilInFlight > 0) {
			if (inFlight >= stub.holdUntilInFlight) {
				stub.holdUntilInFlight = 0
				for (const release of held.splice(0)) release()
			} else await new Promise<void>((resolve) => held.push(resolve))
		}
		await respond({ response, behaviour, body, model, seed: counter })
	})

	async function respond({
		response,
		behaviour,
		body,
		model,
		seed,
	}: {
		response: ServerResponse
		behaviour: StubBehaviour
		body: Record<string, unknown>
		model: string
		seed: number
	}) {
		switch (behaviour.kind) {
			case 'rate-limit':
				sendJson(
					response,
					429,
					{ error: { message: 'Rate limit reached', type: 'rate_limit_error' } },
					{ 'retry-after': String(behaviour.retryAfterSeconds) },
				)
				return
			case 'error':
				sendJson(response, behaviour.status, {
					error: { message: 'The server had an error while processing your request', type: 'server_error' },
				})
				return
			case 'hang':
				hanging.add(response)
				response.on('close', () => hanging.delete(response))
				return
			case 'malformed':
				response.writeHead(200, { 'content-type': 'application/json' })
				response.end('{"id": "chatcmpl-1", "choices": [{"message": ')
				return
			case 'cut':
				if (body.stream) {
					response.writeHead(200, { 'content-type': 'text/event-stream' })
					response.write(
						`data: ${JSON.stringify(chunk({ model, delta: { role: 'assistant', content: 'The first half' } }))}\n\n`,
					)
					setTimeout(() => response.destroy(), 20)
				} else {
					response.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' })
					response.write('{"id": "chatcmpl-1", "object": "chat.completion", "choices": [')
					setTimeout(() => response.destroy(), 20)
				}
				return
			case 'judge':
				sendJson(response, 200, {
					id: `chatcmpl-${seed}`,
					object: 'chat.completion',
					created: Math.floor(Date.now() / 1000),
					model,
					choices: [
						{ index: 0, message: { role: 'assistant', content: judgeAnswer(body, behaviour) }, finish_reason: 'stop' },
					],
					usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
				})
				return
			case 'answer': {
				const answer = behaviour.content ?? distinctText(seed, model)
				const reasoning = behaviour.reasoning
				const content = reasoning && behaviour.inlineThink ? `<think>${reasoning}</think>\n\n${answer}` : answer
				const finishReason = behaviour.finishReason ?? 'stop'
				const message: Record<string, unknown> = { role: 'assistant', content }
				if (reasoning && !behaviour.inlineThink) message.reasoning_content = reasoning
				const usage = {
					prompt_tokens: 12,
					completion_tokens: content.split(/\s+/).length,
					total_tokens: 12 + content.split(/\s+/).length,
				}
				if (body.stream) {
					response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
					if (reasoning && !behaviour.inlineThink)
						response.write(
							`data: ${JSON.stringify(chunk({ model, delta: { role: 'assistant', reasoning_content: reasoning } }))}\n\n`,
						)
					const half = Math.ceil(content.length / 2)
					response.write(
						`data: ${JSON.stringify(chunk({ model, delta: { role: 'assistant', content: content.slice(0, half) } }))}\n\n`,
					)
					response.write(`data: ${JSON.stringify(chunk({ model, delta: { content: content.slice(half) } }))}\n\n`)
					response.write(`data: ${JSON.stringify({ ...chunk({ model, delta: {}, finishReason }), usage })}\n\n`)
					response.end('data: [DONE]\n\n')
					return
				}
				sendJson(response, 200, {
					id: `chatcmpl-${seed}`,
					object: 'chat.completion',
					created: Math.floor(Date.now() / 1000),
					model,
					choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
					usage,
				})
			}
		}
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const { port } = server.address() as AddressInfo
	stub.url = `http://127.0.0.1:${port}`
	stub.baseUrl = `${stub.url}/v1`
	return stub
}

function chunk({
	model,
	delta,
	finishReason = null,
}: {
	model: string
	delta: Record<string, unknown>
	finishReason?: string | null
}) {
	return {
		id: 'chatcmpl-stream',
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, delta, finish_reason: finishReason }],
	}
}

/** The responses a judge prompt shows, in order: `[Response X] ... [End of Response X]` blocks. */
export function shownResponses(body: Record<string, unknown>) {
	const messages = (body.messages ?? []) as { role: string; content: string }[]
	const prompt = messages.filter((message) => message.role === 'user').at(-1)?.content ?? ''
	return [...prompt.matchAll(/\[Response ([A-Z])\]\n([\s\S]*?)\n\[End of Response \1\]/g)].map((match) => ({
		label: match[1]!,
		content: match[2]!,
	}))
}

/** A scripted judge's verdict over the labels in the prompt, as JSON `{ranking: [[label], ...]}`. */
function judgeAnswer(body: Record<string, unknown>, behaviour: Extract<StubBehaviour, { kind: 'judge' }>) {
	const shown = shownResponses(body)
	let order: string[]
	if (behaviour.mode === 'first') order = shown.map((response) => response.label)
	else if (behaviour.mode === 'longer')
		order = [...shown]
			.sort((a, b) => b.content.length - a.content.length || a.content.localeCompare(b.content))
			.map((response) => response.label)
	else {
		const marker = behaviour.marker ?? '[better]'
		order = [...shown]
			.sort(
				(a, b) =>
					Number(b.content.includes(marker)) - Number(a.content.includes(marker)) || a.content.localeCompare(b.content),
			)
			.map((response) => response.label)
	}
	const verdict = {
		ranking: order.map((label) => [label]),
		...(behaviour.confidence !== undefined ? { confidence: behaviour.confidence } : {}),
		rationale: `${behaviour.mode} judge`,
	}
	const json = JSON.stringify(verdict)
	return behaviour.chatty ? `Let me compare them.\n\n\`\`\`json\n${json}\n\`\`\`\n\nThat is my verdict.` : json
}
