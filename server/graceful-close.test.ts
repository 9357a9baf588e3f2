import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, test } from 'vitest'
import { createLogger } from '#app/utils/logger.server.ts'
import { gracefulCloser } from './graceful-close.ts'

const log = createLogger({ component: 'test' })
const agents: http.Agent[] = []
afterEach(() => agents.splice(0).forEach((agent) => agent.destroy()))

async function listen(handler: http.RequestListener) {
	const server = http.createServer(handler)
	const closer = gracefulCloser(server, { log })
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const agent = new http.Agent({ keepAlive: true })
	agents.push(agent)
	const get = (path: string) =>
		new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
			http
				.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, agent }, (res) => {
					res.resume()
					res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }))
				})
				.on('error', reject)
		})
	return { server, closer, get }
}

test('idle keep-alive connections do not hold the shutdown open', async () => {
	const { closer, get } = await listen((_req, res) => res.end('ok'))
	expect(await get('/')).toEqual({ status: 200, connection: 'keep-alive' })
	expect(await closer.close({ graceMs: 600_000 })).toEqual({ forced: false })
})

test('a request in flight finishes, its connection then closes; one that outlives the grace period is cut off', async () => {
	let finish: () => void = () => {}
	const { closer, get } = await listen((req, res) => {
		if (req.url === '/hang') return
		finish = () => res.end('done')
	})
	const slow = get('/slow')
	await expect.poll(() => closer.inFlight(), { timeout: 10_000 }).toBe(1)
	const closed = closer.close({ graceMs: 600_000 })
	finish()
	expect(await slow).toEqual({ status: 200, connection: 'close' })
	expect(await closed).toEqual({ forced: false })

	const second = await listen(() => {})
	const hanging = second.get('/hang')
	await expect.poll(() => second.closer.inFlight(), { timeout: 10_000 }).toBe(1)
	expect(await second.closer.close({ graceMs: 50 })).toEqual({ forced: true })
	await expect(hanging).rejects.toThrow(/socket hang up|ECONNRESET/)
})
