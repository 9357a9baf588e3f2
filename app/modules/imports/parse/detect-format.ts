import { AppError, ErrorCode } from '#app/utils/errors.ts'
import type { ImportFormat } from './types.ts'

const BY_CONTENT_TYPE: Record<string, ImportFormat> = {
	'application/x-ndjson': 'jsonl',
	'application/jsonl': 'jsonl',
	'application/json-lines': 'jsonl',
	'application/x-jsonlines': 'jsonl',
	'text/csv': 'csv',
	'application/vnd.apache.parquet': 'parquet',
	'application/x-parquet': 'parquet',
}

const BY_EXTENSION: Record<string, ImportFormat> = {
	jsonl: 'jsonl',
	ndjson: 'jsonl',
	csv: 'csv',
	parquet: 'parquet',
	pq: 'parquet',
}

/**
 * Picks the import format from a specific content type, else from the file extension. Generic
 * types browsers send (application/octet-stream, text/plain) fall through to the extension.
 */
export function detectFormat({
	contentType,
	filename,
}: {
	contentType?: string | null
	filename?: string | null
}): ImportFormat {
	const mediaType = contentType?.split(';')[0]?.trim().toLowerCase()
	const byType = mediaType ? BY_CONTENT_TYPE[mediaType] : undefined
	if (byType) return byType
	const extension = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1]
	const byExtension = extension ? BY_EXTENSION[extension] : undefined
	if (byExtension) return byExtension
	const given = [mediaType && `content type "${mediaType}"`, filename && `file name "${filename}"`]
		.filter(Boolean)
		.join(' and ')
	throw new AppError(
		ErrorCode.UnsupportedMediaType,
		`Cannot tell the import format from ${given || 'the request'}: use a .jsonl, .csv or .parquet file, or the content type application/jsonl, text/csv or application/vnd.apache.parquet`,
	)
}
