// A small keep-alive HTTP client for load against 127.0.0.1 only: node:http with a pooled Agent,
// so each virtual client reuses its connection as a browser or SDK would.
import http from 'node:http'
import type { Readable } from 'node:stream'

export type HttpResponse = { status: number; body: string; ms: number }

export class HttpClient {
	readonly agent: http.Agent
	readonly origin: URL

	constructor(origin: string, maxSockets: number) {
		this.origin = new URL(origin)
		if (this.origin.hostname !== '127.0.0.1' && this.origin.hostname !== 'localhost')
			throw new Error('The benchmark only sends traffic to this machine')
		this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets })
	}

	request({
		method,
		path,
		headers = {},
		body,
		timeoutMs = 120_000,
	}: {
		method: string
		path: string
		headers?: Record<string, string>
		body?: string | Buffer | Readable
		timeoutMs?: number
	}): Promise<HttpResponse> {
		return new Promise((resolve, reject) => {
			const started = process.hrtime.bigint()
			const request = http.request(
				{
					host: this.origin.hostname,
					port: this.origin.port,
					method,
					path,
					headers,
					agent: this.agent,
					timeout: timeoutMs,
				},
				(response) => {
					const chunks: Buffer[] = []
					response.on('data', (chunk: Buffer) => chunks.push(chunk))
					response.on('end', () =>
						resolve({
							status: response.statusCode ?? 0,
							body: Buffer.concat(chunks).toString('utf8'),
							ms: Number(process.hrtime.bigint() - started) / 1e6,
						}),
					)
					response.on('error', reject)
				},
			)
			request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)))
			request.on('error', reject)
			if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) request.end(body)
			else body.pipe(request)
		})
	}

	close() {
		this.agent.destroy()
	}
}
