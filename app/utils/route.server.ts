import { data } from 'react-router'
import { ZodError } from 'zod'
import {
	AppError,
	DATABASE_RETRY_AFTER_SECONDS,
	databaseUnavailable,
	fieldErrorMap,
	fieldErrorsFromZod,
	isDatabaseUnavailable,
	titleForStatus,
	type FieldErrorMap,
} from './errors.ts'
import { logger } from './logger.server.ts'

/**
 * Wraps a UI loader or action: coded errors from modules become responses with their status,
 * which the nearest error boundary renders as that status's page.
 */
export function route<Args, Result>(handler: (args: Args) => Promise<Result>) {
	return async (args: Args): Promise<Result> => {
		try {
			return await handler(args)
		} catch (caught) {
			let error = caught
			if (!(error instanceof AppError) && isDatabaseUnavailable(error)) {
				logger.warn('database unavailable', { error: error instanceof Error ? error.message : String(error) })
				error = databaseUnavailable(error)
			}
			if (error instanceof AppError) {
				throw data(
					{ message: error.message, code: error.code, errors: error.fieldErrors },
					{
						status: error.status,
						statusText: titleForStatus[error.status],
						headers: error.status === 503 ? { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) } : undefined,
					},
				)
			}
			if (error instanceof ZodError) {
				throw data({ message: 'Invalid input', errors: fieldErrorsFromZod(error.issues) }, { status: 400 })
			}
			throw error
		}
	}
}

/** zod issues → `{field: [messages]}` for a form, through the same FieldError[] the API answers. */
export function formErrors(error: ZodError): FieldErrorMap {
	return fieldErrorMap(fieldErrorsFromZod(error.issues))
}
