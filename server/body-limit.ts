import type { IncomingMessage } from 'node:http'
import type { NextFunction, Request, Response } from 'express'
import { AppError } from '#app/utils/errors.ts'

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS'])
// The import upload streams files of any size into one transaction and has its own caps
// (MAX_IMPORT_BYTES, MAX_IMPORT_ROWS), enforced as it reads.
const IMPORT_UPLOADS = [/^\/api\/v1\/projects\/[^/]+\/items\/?$/, /^\/projects\/[^/]+\/import\/file\/?$/]

export function isImportUpload(req: Pick<Request, 'method' | 'path'>) {
	return req.method === 'POST' && IMPORT_UPLOADS.some((pattern) => pattern.test(req.path))
}

export function bodyTooLarge(maxBytes: number) {
	return new AppError(
		'PAYLOAD_TOO_LARGE',
		`The request body is larger than the limit of ${maxBytes.toLocaleString('en-US')} bytes (MAX_BODY_BYTES).`,
		{
			extra: { maxBytes },
		},
	)
}

function refuse(res: Response, error: AppError) {
	if (res.headersSent) return
	const body = {
		type: 'about:blank',
		title: 'Payload too large',
		status: 413,
		detail: error.message,
		code: error.code,
		...error.extra,
	}
	res
		.status(413)
		.set({ 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', Connection: 'close' })
		.send(JSON.stringify(body))
}

/**
 * Caps every request body but the import upload's. A declared Content-Length over the cap is
 * refused before anything is read. Otherwise the bytes are counted as the socket delivers them
 * (nothing is buffered here): past the cap the rest is dropped, the route's reading of the body
 * fails, and the client gets 413.
 */
export function limitBodySize({ maxBytes }: { maxBytes: number }) {
	return (req: Request, res: Response, next: NextFunction) => {
		if (NO_BODY.has(req.method) || isImportUpload(req)) return next()
		const declared = Number(req.get('content-length'))
		if (Number.isFinite(declared) && declared > maxBytes) return refuse(res, bodyTooLarge(maxBytes))
		let received = 0
		let over = false
		const push = req.push.bind(req) as IncomingMessage['push']
		req.push = (chunk: unknown, encoding?: BufferEncoding) => {
			if (chunk === null || chunk === undefined) return push(chunk, encoding)
			if (over) return true
			received += (chunk as Buffer).length
			if (received <= maxBytes) return push(chunk, encoding)
			over = true
			const error = bodyTooLarge(maxBytes)
			refuse(res, error)
			// The reader (the route's Request body) sees the failure; the socket stays up for the 413.
			if (req.listenerCount('error') > 0) req.emit('error', error)
			req.resume()
			return true
		}
		next()
	}
}
