import type { ServerResponse, Server } from 'node:http'
import type { Logger } from '#app/utils/logger.server.ts'

/**
 * Stops a server the way a rolling deploy needs: the listening socket closes at once (new
 * connections are refused, so a balancer moves on), requests already in flight finish, and
 * keep-alive connections close as soon as they fall idle. Whatever still runs after `graceMs` is
 * cut off. Call it when the server starts listening; `close` resolves once every connection is gone.
 */
export function gracefulCloser(server: Server, { log }: { log: Logger }) {
	const inFlight = new Set<ServerResponse>()
	let closing = false
	const settle = () => setImmediate(() => server.closeIdleConnections())
	server.on('request', (_req, res: ServerResponse) => {
		inFlight.add(res)
		if (closing) res.setHeader('Connection', 'close')
		res.once('close', () => {
			inFlight.delete(res)
			if (closing) settle()
		})
	})

	return {
		inFlight: () => inFlight.size,
		close: ({ graceMs }: { graceMs: number }) =>
			new Promise<{ forced: boolean }>((resolve) => {
				closing = true
				let forced = false
				for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close')
				if (inFlight.size > 0) log.info('finishing requests in flight', { requests: inFlight.size, graceMs })
				const timer = setTimeout(() => {
					forced = true
					log.warn('shutdown grace period over: closing connections still in use', { requests: inFlight.size, graceMs })
					server.closeAllConnections()
				}, graceMs)
				server.close(() => {
					clearTimeout(timer)
					resolve({ forced })
				})
				server.closeIdleConnections()
			}),
	}
}
