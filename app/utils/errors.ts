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
export const conflict = (why: string, extra?: Record<string, unknown>) => new AppError(ErrorCode.Conflict, why, { extra })
export const invalid = (message: string, fieldErrors: FieldError[]) =>
	new AppError(ErrorCode.Invalid, message, { fieldErrors })

export function invariant(condition: unknown, error: () => AppError): asserts condition {
	if (!condition) throw error()
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
