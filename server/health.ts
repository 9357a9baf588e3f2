import { readdir } from 'node:fs/promises'
import express, { type Request, type Response } from 'express'
import pg from 'pg'
import { createLogger } from '#app/utils/logger.server.ts'
import { defaultMigrationsDir } from '#prisma/migrator.ts'

const log = createLogger({ component: 'health' })

/**
 * `/healthz` answers while the process serves requests at all; `/readyz` only while the database
 * answers and every migration of this build is applied, so a load balancer sends no traffic to a
 * replica that would answer 503. Neither needs a session, and neither is logged above debug.
 */
export function createHealthChecks({
	connectionString = () => process.env.DATABASE_URL,
}: { connectionString?: () => string | undefined } = {}) {
	// A connection of its own: a probe must not queue behind a busy request pool.
	let pool: pg.Pool | undefined
	let localMigrations: Promise<string[]> | undefined
	let shuttingDown = false

	const probePool = () => {
		if (!pool) {
			pool = new pg.Pool({
				connectionString: connectionString(),
				max: 1,
				connectionTimeoutMillis: 2_000,
				query_timeout: 2_000,
				idleTimeoutMillis: 30_000,
				application_name: 'quorum-health',
			})
			pool.on('error', (error) => log.debug('health probe connection lost', { error: error.message }))
		}
		return pool
	}

	async function pendingMigrations() {
		localMigrations ??= readdir(defaultMigrationsDir, { withFileTypes: true }).then((entries) =>
			entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
		)
		const local = await localMigrations
		const { rows } = await probePool().query<{ migration_name: string }>(
			'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
		)
		const applied = new Set(rows.map((row) => row.migration_name))
		return local.filter((name) => !applied.has(name))
	}

	const router = express.Router()
	const answer = (res: Response, status: number, body: Record<string, unknown>) => {
		res.status(status).set('Cache-Control', 'no-store')
		if (status === 503) res.set('Retry-After', '5')
		res.json(body)
	}
	router.get('/healthz', (req: Request, res: Response) => {
		log.debug('health check', { path: req.path })
		answer(res, 200, { status: 'ok' })
	})
	router.get('/readyz', async (req: Request, res: Response) => {
		if (shuttingDown) return answer(res, 503, { status: 'shutting down' })
		try {
			const pending = await pendingMigrations()
			if (pending.length > 0) {
				log.debug('not ready: migrations pending', { pending })
				return answer(res, 503, { status: 'migrations pending', pending })
			}
			log.debug('ready')
			answer(res, 200, { status: 'ready' })
		} catch (error) {
			log.debug('not ready: database unreachable', { error: error instanceof Error ? error.message : String(error) })
			answer(res, 503, { status: 'database unreachable' })
		}
	})

	return {
		router,
		/** From now on `/readyz` says 503, so a balancer stops sending new work. */
		markShuttingDown() {
			shuttingDown = true
		},
		async close() {
			const current = pool
			pool = undefined
			await current?.end().catch(() => {})
		},
	}
}

export type HealthChecks = ReturnType<typeof createHealthChecks>
