import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { json, problem } from '#app/utils/http.server.ts'
import { ImportQuerySchema } from './import-file.schema.ts'
import { importFile, requestBodySource, type ImportReport } from './import-file.server.ts'
import { detectFormat } from './parse/detect-format.ts'

/**
 * An upload whose body is the file itself, typed by Content-Type (or, for generic types, by the
 * `filename` query parameter's extension). Shared by the API and the browser's upload endpoint.
 */
export async function importFromRequest({
	request,
	slug,
	user,
	maxBytes,
	maxRows,
}: {
	request: Request
	slug: string
	user: SessionUser
	maxBytes?: number
	maxRows?: number
}) {
	const query = ImportQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	const format = detectFormat({ contentType: request.headers.get('Content-Type'), filename: query.filename })
	return importFile({
		slug,
		user,
		format,
		source: requestBodySource(request, maxBytes),
		filename: query.filename ?? null,
		skipInvalid: query.skipInvalid,
		maxRows,
	})
}

const plural = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`

/** 200 with the report, or 422 problem+json carrying the same report when the file was refused. */
export function importReportResponse(report: ImportReport) {
	if (!report.refused) return json(report)
	const whole = report.errors.some((error) => error.line === 0)
	const detail = whole
		? `The file cannot be imported: ${report.errors.find((error) => error.line === 0)?.message}. Nothing was imported.`
		: `${plural(report.invalidLines, 'line')} of the file ${report.invalidLines === 1 ? 'is' : 'are'} invalid, so nothing was imported. Fix ${report.invalidLines === 1 ? 'it' : 'them'}, or import with skipInvalid=true to keep the valid lines.`
	return problem(422, detail, { code: 'INVALID', ...report })
}
