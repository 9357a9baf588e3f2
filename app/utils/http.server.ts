import { ZodError } from 'zod'
import {
	AppError,
	DATABASE_RETRY_AFTER_SECONDS,
	databaseUnavailable,
	fieldErrorsFromZod,
	isDatabaseUnavailable,
	statusForCode,
	titleForStatus,
} from './errors.ts'
import { logger } from './logger.server.ts'

export function problem(status: number, detail: string, extra: Record<string, unknown> = {}, headers?: HeadersInit) {
	const body = problemBody(status, detail, extra)
	const responseHeaders = new Headers(headers)
	responseHeaders.set('Content-Type', 'application/problem+json')
	responseHeaders.set('Cache-Control', 'no-store')
	return new Response(JSON.stringify(body), { status, headers: responseHeaders })
}

export function json(body: unknown, init: number | ResponseInit = 200) {
	const responseInit = typeof init === 'number' ? { status: init } : init
	const headers = new Headers(responseInit.headers)
	headers.set('Content-Type', 'application/json; charset=utf-8')
	headers.set('Cache-Control', 'no-store')
	return new Response(JSON.stringify(body), { ...responseInit, headers })
}

/** Turns anything an API handler throws into application/problem+json. */
export function problemFromError(error: unknown): Response {
	if (error instanceof Response) {
		if (error.headers.get('Content-Type')?.includes('json')) return error
		return problem(error.status, titleForStatus[error.status] ?? error.statusText)
	}
	const { status, detail, extra, headers } = problemParts(error)
	return problem(status, detail, extra, headers)
}

/** The parts of the problem+json answer for a thrown error: the one map from errors to statuses, without a Response. */
export function problemParts(error: unknown): {
	status: number
	detail: string
	extra: Record<string, unknown>
	headers?: Record<string, string>
} {
	if (!(error instanceof AppError) && isDatabaseUnavailable(error)) {
		logger.warn('database unavailable', { error: error instanceof Error ? error.message : String(error) })
		error = databaseUnavailable(error)
	}
	if (error instanceof AppError) {
		const extra: Record<string, unknown> = { code: error.code, ...error.extra }
		if (error.fieldErrors) extra.errors = error.fieldErrors
		const headers: Record<string, string> | undefined =
			error.status === 401
				? { 'WWW-Authenticate': 'Bearer realm="quorum"' }
				: error.status === 503
					? { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) }
					: undefined
		return { status: statusForCode[error.code], detail: error.message, extra, headers }
	}
	if (error instanceof ZodError) {
		return {
			status: 422,
			detail: 'The request body is invalid',
			extra: { code: 'INVALID', errors: fieldErrorsFromZod(error.issues) },
		}
	}
	logger.error('unhandled API error', { error: error instanceof Error ? error.stack : String(error) })
	return { status: 500, detail: 'Something went wrong on our side. The error has been logged.', extra: {} }
}

/** The body of a problem+json answer. */
export function problemBody(status: number, detail: string, extra: Record<string, unknown> = {}) {
	return { type: 'about:blank', title: titleForStatus[status] ?? 'Error', status, detail, ...extra }
}

/** Wraps a React Router loader/action used as an API endpoint. */
export function apiRoute<Args extends { request: Request }>(handler: (args: Args) => Promise<Response>) {
	return async (args: Args) => {
		try {
			return await handler(args)
		} catch (error) {
			return problemFromError(error)
		}
	}
}

export async function readJsonBody(request: Request, maxBytes = 1_000_000): Promise<unknown> {
	const type = request.headers.get('Content-Type') ?? ''
	if (!type.includes('application/json')) {
		throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json')
	}
	return parseJsonText(await request.text(), maxBytes)
}

/** A JSON request body already read as text, with readJsonBody's limits and errors. */
export function parseJsonText(text: string, maxBytes = 1_000_000): unknown {
	if (Buffer.byteLength(text) > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The body exceeds ${maxBytes} bytes`)
	if (text.trim() === '') return {}
	try {
		return JSON.parse(text)
	} catch (error) {
		throw new AppError('BAD_REQUEST', `The body is not valid JSON: ${(error as Error).message}`)
	}
}

export function methodNotAllowed(allowed: string[]) {
	return async () => problem(405, `Use ${allowed.join(' or ')} for this endpoint`, {}, { Allow: allowed.join(', ') })
}

/** A JSON answer from a status and a body; 204 has none. */
export function replyResponse({ status, body }: { status: number; body: unknown }) {
	return status === 204 ? new Response(null, { status }) : json(body, status)
}
