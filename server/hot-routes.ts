import express, { type Request, type Response } from 'express'
import {
	judgmentReply,
	nextReply,
	renewReply,
	skipReply,
	type Reply,
} from '#app/modules/assignments/annotator-api.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { parseJsonText, problemBody, problemParts } from '#app/utils/http.server.ts'

const MAX_BODY_BYTES = 1_000_000

/** The request body as JSON, with the limits and errors of `readJsonBody`, read straight from the socket. */
async function readJson(req: Request): Promise<unknown> {
	if (!(req.get('content-type') ?? '').includes('application/json'))
		throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json')
	const chunks: Buffer[] = []
	let size = 0
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length
		if (size > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `The body exceeds ${MAX_BODY_BYTES} bytes`)
		chunks.push(chunk)
	}
	return parseJsonText(Buffer.concat(chunks).toString('utf8'), MAX_BODY_BYTES)
}

function send(res: Response, status: number, type: string, body: unknown, headers?: Record<string, string>) {
	res.status(status)
	res.setHeader('Cache-Control', 'no-store')
	for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value)
	if (status === 204) return void res.end()
	res.setHeader('Content-Type', type)
	res.end(JSON.stringify(body))
}

function handle(reply: (req: Request) => Promise<Reply>) {
	return async (req: Request, res: Response) => {
		try {
			const { status, body } = await reply(req)
			send(res, status, 'application/json; charset=utf-8', body)
		} catch (error) {
			const { status, detail, extra, headers } = problemParts(error)
			send(res, status, 'application/problem+json', problemBody(status, detail, extra), headers)
		}
	}
}

const param = (req: Request, name: string) => String(req.params[name])

/**
 * The annotator's hot API endpoints as plain Express handlers, in front of React Router: its Fetch
 * adapter costs about a millisecond of CPU per request, and these run on every judgment. They call
 * the same functions as the React Router routes (`app/modules/assignments/annotator-api.server.ts`),
 * so answers and errors are the same; other methods on these paths fall through to those routes.
 * Mounted after the request log, the security headers and the cross-site check.
 */
export function hotRoutes() {
	const router = express.Router()
	router.post(
		'/api/v1/projects/:slug/assignments/next',
		handle((req) => nextReply({ authorization: req.get('authorization'), slug: param(req, 'slug') })),
	)
	router.post(
		'/api/v1/assignments/:leaseId/judgment',
		handle((req) =>
			judgmentReply({
				authorization: req.get('authorization'),
				leaseId: param(req, 'leaseId'),
				nextParam: typeof req.query.next === 'string' ? req.query.next : null,
				readBody: () => readJson(req),
			}),
		),
	)
	router.post(
		'/api/v1/assignments/:leaseId/renew',
		handle((req) => renewReply({ authorization: req.get('authorization'), leaseId: param(req, 'leaseId') })),
	)
	router.post(
		'/api/v1/assignments/:leaseId/skip',
		handle((req) =>
			skipReply({
				authorization: req.get('authorization'),
				leaseId: param(req, 'leaseId'),
				readBody: () => (req.get('content-length') === '0' ? Promise.resolve({}) : readJson(req)),
			}),
		),
	)
	return router
}
