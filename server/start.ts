import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { EnvError, parseEnv, type Env } from '#app/utils/env.server.ts'
import { createLogger } from '#app/utils/logger.server.ts'
import { resolveDatabase } from './embedded-postgres.ts'
import { migrate } from '#prisma/migrator.ts'
import { createApp } from './app.ts'
import { gracefulCloser } from './graceful-close.ts'
import { createHealthChecks } from './health.ts'

const log = createLogger({ component: 'server' })

export const buildDirectory = () => process.env.QUORUM_BUILD_DIR ?? 'build'

export function loadEnvOrExit(): Env {
	try {
		return parseEnv()
	} catch (error) {
		if (error instanceof EnvError) {
			process.stderr.write(`${error.message}\n`)
			process.exit(1)
		}
		throw error
	}
}

/** Starts the database (the given one or the embedded one), migrates it, and sets DATABASE_URL. */
export async function prepareDatabase(env: Env) {
	const database = await resolveDatabase({
		env,
		dataDir: path.resolve(env.DATA_DIR, 'postgres'),
		port: env.EMBEDDED_PG_PORT,
		portSetting: 'EMBEDDED_PG_PORT',
		log: (message: string) => log.info(message),
	})
	process.env.DATABASE_URL = database.connectionString
	const { applied } = await migrate({
		connectionString: database.connectionString,
		log: (message: string) => log.info(message),
	})
	if (applied.length > 0) log.info('migrations applied', { applied })
	return database
}

/** `npm start` does not serve the demo's accounts: their password is published in the README. */
export async function refuseDemoAccounts() {
	const { enabledDemoAccounts } = await import('../prisma/seed/demo.ts')
	const found = await enabledDemoAccounts()
	if (found.length === 0) return
	throw new Error(
		`This database holds the demo accounts ${found.join(', ')}, whose password is public. Disable them (quorum users disable --email <email>) or use a database without them; the demo runs on its own with npm run demo.`,
	)
}

export async function serve({ env, onReady }: { env: Env; onReady?: (url: string) => void }) {
	const buildPath = path.resolve(buildDirectory(), 'server/index.js')
	if (!existsSync(buildPath)) {
		throw new Error(`No production build found at ${buildPath}. Run \`npm run build\` first.`)
	}
	const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild
	const health = createHealthChecks()
	const app = createApp({ env, build, mode: 'production', clientDir: path.resolve(buildDirectory(), 'client'), health })
	return new Promise<{ close: () => Promise<void>; url: string }>((resolve, reject) => {
		const server = app.listen(env.PORT, env.HOST, () => {
			const url = `http://localhost:${env.PORT}`
			log.info('listening', { url })
			onReady?.(url)
			resolve({
				url,
				close: async () => {
					health.markShuttingDown()
					await closer.close({ graceMs: env.SHUTDOWN_GRACE_SECONDS * 1000 })
					await health.close()
				},
			})
		})
		const closer = gracefulCloser(server, { log })
		server.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EADDRINUSE') {
				reject(new Error(`Port ${env.PORT} is already in use. Stop the other process or set PORT to a free port.`))
			} else reject(error)
		})
	})
}

/** Ends this process's database connections: the pool Prisma and raw SQL share, and the job client's. */
export async function closePools() {
	const [{ disconnectDb }, { stopQueueClient }] = await Promise.all([
		import('#app/utils/db.server.ts'),
		import('#app/modules/jobs/enqueue.server.ts'),
	])
	const results = await Promise.allSettled([stopQueueClient(), disconnectDb()])
	for (const result of results)
		if (result.status === 'rejected') log.warn('closing a connection pool failed', { error: String(result.reason) })
}

export function onShutdown(cleanup: () => Promise<void>) {
	let stopping = false
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			if (stopping) return
			stopping = true
			log.info('shutting down', { signal })
			cleanup()
				.catch((error) => log.error('shutdown failed', { error: String(error) }))
				.finally(() => process.exit(0))
		})
	}
}

export function exitWithError(error: unknown): never {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
	process.exit(1)
}
