import { randomBytes, randomUUID } from 'node:crypto'
import path from 'node:path'
import { createRequestHandler } from '@react-router/express'
import compression from 'compression'
import express, { type NextFunction, type Request, type Response } from 'express'
import { RouterContextProvider, type ServerBuild } from 'react-router'
import { requestContext } from '#app/context.ts'
import { secureCookies, type Env } from '#app/utils/env.server.ts'
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '#app/utils/errors.ts'
import { createLogger } from '#app/utils/logger.server.ts'
import { CLIENT_IP_HEADER, redactPath, REQUEST_ID_HEADER } from '#app/utils/request.server.ts'
import { limitBodySize } from './body-limit.ts'
import { createHealthChecks, type HealthChecks } from './health.ts'
import { hotRoutes } from './hot-routes.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const log = createLogger({ component: 'http' })

function contentSecurityPolicy(nonce: string) {
	return [
		"default-src 'self'",
		`script-src 'self' 'nonce-${nonce}'`,
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src 'self'",
		"media-src 'none'",
		"object-src 'none'",
		"frame-src 'none'",
		"frame-ancestors 'none'",
		"base-uri 'none'",
		"form-action 'self'",
	].join('; ')
}

/**
 * A state-changing request must come from our own pages: it needs a same-origin Sec-Fetch-Site or
 * Origin. The API under /api/ is exempt because it accepts only bearer tokens, never the session
 * cookie, so a forged cross-site request carries no credential there.
 */
export function isCrossSiteRequest(req: Request, env: Pick<Env, 'APP_URL'>) {
	if (SAFE_METHODS.has(req.method)) return false
	if (req.path.startsWith('/api/')) return false
	const site = req.get('sec-fetch-site')
	if (site && site !== 'same-origin' && site !== 'none') return true
	const origin = req.get('origin')
	if (!origin) return !site
	let sender: string
	try {
		sender = new URL(origin).origin
	} catch {
		return true
	}
	// Scheme, host and port must all match: http://app and https://app are different sites.
	const allowed = new Set<string>()
	try {
		allowed.add(new URL(`${req.protocol}://${req.get('host')}`).origin)
	} catch {
		// A Host header that is no host matches nothing.
	}
	if (env.APP_URL) allowed.add(new URL(env.APP_URL).origin)
	return !allowed.has(sender)
}

export function createApp({
	env,
	build,
	mode,
	viteMiddleware,
	clientDir = path.resolve('build/client'),
	health = createHealthChecks(),
}: {
	clientDir?: string
	health?: HealthChecks
	env: Env
	build: ServerBuild | (() => Promise<ServerBuild>)
	mode: 'production' | 'development'
	viteMiddleware?: express.RequestHandler
}) {
	const app = express()
	app.disable('x-powered-by')
	if (env.TRUST_PROXY !== false) app.set('trust proxy', env.TRUST_PROXY)

	// Before the request log: probes every few seconds would drown it.
	app.use(health.router)

	app.use((req: Request, res: Response, next: NextFunction) => {
		const incoming = req.get(REQUEST_ID_HEADER)
		const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID()
		req.headers[REQUEST_ID_HEADER] = requestId
		req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? 'unknown'
		res.setHeader('X-Request-Id', requestId)
		const started = process.hrtime.bigint()
		res.on('finish', () => {
			if (req.path.startsWith('/assets/') || req.path === '/favicon.ico') return
			const durationMs = Number(process.hrtime.bigint() - started) / 1e6
			const fields = {
				requestId,
				method: req.method,
				path: redactPath(req.path),
				status: res.statusCode,
				durationMs: Math.round(durationMs * 10) / 10,
			}
			if (res.statusCode === 503) log.warn('request', fields)
			else if (res.statusCode >= 500) log.error('request', fields)
			else log.info('request', fields)
		})
		next()
	})

	app.use((req: Request, res: Response, next: NextFunction) => {
		res.setHeader('X-Content-Type-Options', 'nosniff')
		res.setHeader('Referrer-Policy', 'same-origin')
		res.setHeader('X-Frame-Options', 'DENY')
		res.setHeader(
			'Permissions-Policy',
			'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
		)
		if (mode === 'production' && secureCookies(env))
			res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
		const nonce = randomBytes(16).toString('base64')
		res.locals.cspNonce = nonce
		if (mode === 'production') res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce))
		next()
	})

	app.use((req: Request, res: Response, next: NextFunction) => {
		if (!isCrossSiteRequest(req, env)) return next()
		log.warn('cross-site request refused', {
			requestId: req.get(REQUEST_ID_HEADER),
			method: req.method,
			path: redactPath(req.path),
			origin: req.get('origin'),
		})
		const detail = 'Cross-site request refused: state-changing requests must come from Quorum itself.'
		if (req.path.startsWith('/api/')) {
			res
				.status(403)
				.type('application/problem+json')
				.send(JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, detail }))
		} else {
			res
				.status(403)
				.type('text/html')
				.send(`<!doctype html><title>403 Forbidden</title><h1>403 Forbidden</h1><p>${detail}</p>`)
		}
	})

	app.use(limitBodySize({ maxBytes: env.MAX_BODY_BYTES }))

	// Pages and assets go out compressed. The API does not: its clients are programs, its large
	// downloads are already gzip, and compressing the small hot-path answers costs more than it saves.
	app.use(compression({ filter: (req, res) => !req.path.startsWith('/api/') && compression.filter(req, res) }))

	if (viteMiddleware) {
		app.use(viteMiddleware)
	} else {
		app.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y' }))
		// The API has no files: skipping the static lookup saves a filesystem stat on every call.
		const publicFiles = express.static(clientDir, { maxAge: '1h' })
		app.use((req: Request, res: Response, next: NextFunction) =>
			req.path.startsWith('/api/') ? next() : publicFiles(req, res, next),
		)
	}

	app.use(hotRoutes())

	app.all(
		'/{*splat}',
		createRequestHandler({
			build,
			mode,
			getLoadContext: (_req, res) => {
				const context = new RouterContextProvider()
				context.set(requestContext, {
					requestId: String(res.getHeader('X-Request-Id')),
					cspNonce: String(res.locals.cspNonce),
				})
				return context
			},
		}),
	)

	// What escapes React Router's own handling (its handler failing outright).
	app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
		if (res.headersSent) return next(error)
		const unavailable = isDatabaseUnavailable(error)
		const status = unavailable ? 503 : 500
		if (unavailable) res.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
		else
			log.error('unhandled error', {
				requestId: req.get(REQUEST_ID_HEADER),
				error: error instanceof Error ? error.stack : String(error),
			})
		const detail = unavailable
			? 'The database is unreachable for the moment; try again in a few seconds.'
			: 'Something went wrong on our side.'
		const title = unavailable ? 'Service unavailable' : 'Internal server error'
		if (req.path.startsWith('/api/'))
			res
				.status(status)
				.type('application/problem+json')
				.send(JSON.stringify({ type: 'about:blank', title, status, detail }))
		else
			res
				.status(status)
				.type('text/html')
				.send(`<!doctype html><title>${status} ${title}</title><h1>${title}</h1><p>${detail}</p>`)
	})
	return app
}
