export const ErrorCode = {
	BadRequest: 'BAD_REQUEST',
	Unauthenticated: 'UNAUTHENTICATED',
	Forbidden: 'FORBIDDEN',
	NotFound: 'NOT_FOUND',
	Conflict: 'CONFLICT',
	PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
	UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
	Invalid: 'INVALID',
	RateLimited: 'RATE_LIMITED',
	ServiceUnavailable: 'SERVICE_UNAVAILABLE',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** The one place where error codes become HTTP statuses. */
export const statusForCode: Record<ErrorCode, number> = {
	BAD_REQUEST: 400,
	UNAUTHENTICATED: 401,
	FORBIDDEN: 403,
	NOT_FOUND: 404,
	CONFLICT: 409,
	PAYLOAD_TOO_LARGE: 413,
	UNSUPPORTED_MEDIA_TYPE: 415,
	INVALID: 422,
	RATE_LIMITED: 429,
	SERVICE_UNAVAILABLE: 503,
}

export const titleForStatus: Record<number, string> = {
	400: 'Bad request',
	401: 'Authentication required',
	403: 'Forbidden',
	404: 'Not found',
	405: 'Method not allowed',
	409: 'Conflict',
	413: 'Payload too large',
	415: 'Unsupported media type',
	422: 'Invalid input',
	429: 'Too many requests',
	500: 'Internal server error',
	503: 'Service unavailable',
}

export type FieldError = { path: string; message: string; line?: number }

export class AppError extends Error {
	readonly code: ErrorCode
	readonly fieldErrors?: FieldError[]
	readonly extra?: Record<string, unknown>
	constructor(
		code: ErrorCode,
		message: string,
		options: { fieldErrors?: FieldError[]; extra?: Record<string, unknown>; cause?: unknown } = {},
	) {
		super(message, { cause: options.cause })
		this.name = 'AppError'
		this.code = code
		this.fieldErrors = options.fieldErrors
		this.extra = options.extra
	}
	get status() {
		return statusForCode[this.code]
	}
}

export const notFound = (what = 'Not found') => new AppError(ErrorCode.NotFound, what)
export const forbidden = (why = 'You do not have permission to do this') => new AppError(ErrorCode.Forbidden, why)
export const unauthenticated = (why = 'Authentication required') => new AppError(ErrorCode.Unauthenticated, why)
export const conflict = (why: string, extra?: Record<string, unknown>) =>
	new AppError(ErrorCode.Conflict, why, { extra })
export const invalid = (message: string, fieldErrors: FieldError[]) =>
	new AppError(ErrorCode.Invalid, message, { fieldErrors })

/** Seconds a client is told to wait (`Retry-After`) while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5

export const databaseUnavailable = (cause?: unknown) =>
	new AppError(
		ErrorCode.ServiceUnavailable,
		'The database is unreachable for the moment. Nothing was lost; try again in a few seconds.',
		{ cause },
	)

// SQLSTATE class 08 (connection exception), 57P01-57P03 (shutting down, crashed, starting up),
// 53300 (too many connections).
const UNAVAILABLE_SQLSTATE = /^(08\w{3}|57P0[123]|53300)$/
const UNAVAILABLE_SOCKET_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
])
// Prisma: can't reach the server, timed out, server closed the connection.
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017'])
// @prisma/adapter-pg's names for the socket errors above.
const UNAVAILABLE_ADAPTER_KINDS = new Set([
	'DatabaseNotReachable',
	'ConnectionClosed',
	'SocketTimeout',
	'TooManyConnections',
])
// node-postgres reports a connection lost under a query or a transaction without a code.
const UNAVAILABLE_MESSAGE =
	/Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect/

/**
 * Whether an error means "the database is not there right now" (refused, restarting, connection
 * lost) rather than a fault in the request or the code. Walks causes, aggregate errors and the
 * Prisma adapter's wrapped error.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
	if (!error || typeof error !== 'object' || depth > 6) return false
	if (error instanceof AppError) return error.code === ErrorCode.ServiceUnavailable
	const { code, kind, message, cause, errors, meta } = error as {
		code?: unknown
		kind?: unknown
		message?: unknown
		cause?: unknown
		errors?: unknown
		meta?: { driverAdapterError?: unknown }
	}
	if (
		typeof code === 'string' &&
		(UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET_CODES.has(code) || UNAVAILABLE_PRISMA_CODES.has(code))
	)
		return true
	if (typeof kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true
	if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true
	if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true
	return isDatabaseUnavailable(meta?.driverAdapterError, depth + 1) || isDatabaseUnavailable(cause, depth + 1)
}

type ZodLikeIssue = { path: PropertyKey[]; message: string }

export function formatPath(path: readonly PropertyKey[]) {
	let out = ''
	for (const part of path) {
		if (typeof part === 'number') out += `[${part}]`
		else out += out ? `.${String(part)}` : String(part)
	}
	return out
}

export function fieldErrorsFromZod(issues: readonly ZodLikeIssue[]): FieldError[] {
	return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }))
}

export type FieldErrorMap = Record<string, string[]>

/** The form field a path belongs to: `criteria[1].name` → `criteria`; `form` for no path. */
export const fieldOf = (path: string) => path.replace(/\[.*$/, '').split('.')[0] || 'form'

/**
 * Field errors keyed by form field: `criteria[1].name` and `criteria` both land under `criteria`
 * (a nested path stays in the message), errors without a path under `form`.
 */
export function fieldErrorMap(errors: readonly FieldError[] | null | undefined): FieldErrorMap {
	const out: FieldErrorMap = {}
	for (const error of errors ?? []) {
		const key = fieldOf(error.path)
		;(out[key] ??= []).push(error.path.includes('[') ? `${error.path}: ${error.message}` : error.message)
	}
	return out
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ids in URLs are user input; a malformed one is simply not found, never a database error. */
export function assertUuid(id: string | undefined, what: string): asserts id is string {
	if (!id || !UUID.test(id)) throw notFound(`No such ${what}`)
}
