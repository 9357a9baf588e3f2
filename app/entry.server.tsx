import { PassThrough } from 'node:stream'
import { createReadableStreamFromReadable } from '@react-router/node'
import { isbot } from 'isbot'
import { renderToPipeableStream, type RenderToPipeableStreamOptions } from 'react-dom/server'
import { ServerRouter, type EntryContext, type RouterContextProvider } from 'react-router'
import { requestContext } from './context.ts'
import { AppError, DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './utils/errors.ts'
import { logger } from './utils/logger.server.ts'
import { redactPath } from './utils/request.server.ts'

export const streamTimeout = 5_000

// Pages whose loader met an unreachable database outside `route()`: answered 503, not 500.
const databaseUnavailable = new WeakSet<Request>()

export default function handleRequest(
	request: Request,
	responseStatusCode: number,
	responseHeaders: Headers,
	routerContext: EntryContext,
	loadContext: RouterContextProvider,
) {
	if (databaseUnavailable.has(request)) responseStatusCode = 503
	if (responseStatusCode === 503) responseHeaders.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
	if (request.method.toUpperCase() === 'HEAD') {
		return new Response(null, { status: responseStatusCode, headers: responseHeaders })
	}
	const { cspNonce } = loadContext.get(requestContext)

	return new Promise((resolve, reject) => {
		let shellRendered = false
		const userAgent = request.headers.get('user-agent')
		const readyOption: keyof RenderToPipeableStreamOptions =
			(userAgent && isbot(userAgent)) || routerContext.isSpaMode ? 'onAllReady' : 'onShellReady'
		let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000)

		const { pipe, abort } = renderToPipeableStream(
			<ServerRouter context={routerContext} url={request.url} nonce={cspNonce} />,
			{
				nonce: cspNonce,
				[readyOption]() {
					shellRendered = true
					const body = new PassThrough({
						final(callback) {
							clearTimeout(timeoutId)
							timeoutId = undefined
							callback()
						},
					})
					responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
					pipe(body)
					resolve(
						new Response(createReadableStreamFromReadable(body), {
							headers: responseHeaders,
							status: responseStatusCode,
						}),
					)
				},
				onShellError(error: unknown) {
					reject(error)
				},
				onError(error: unknown) {
					responseStatusCode = 500
					if (shellRendered)
						logger.error('render error', { error: error instanceof Error ? error.stack : String(error) })
				},
			},
		)
	})
}

export function handleError(error: unknown, { request }: { request: Request }) {
	if (request.signal.aborted) return
	if (isDatabaseUnavailable(error)) {
		databaseUnavailable.add(request)
		logger.warn('database unavailable', {
			path: new URL(request.url).pathname,
			error: error instanceof Error ? error.message : String(error),
		})
		return
	}
	// A refused request (a body over the cap, say) was answered already; it is not our failure.
	if (error instanceof AppError && error.status < 500) return
	logger.error('unhandled route error', {
		requestId: request.headers.get('x-request-id'),
		path: redactPath(new URL(request.url).pathname),
		error: error instanceof Error ? error.stack : String(error),
	})
}
