// The worker process: `npm run worker` or `quorum worker`. It runs the job queues (exports,
// pruning, analytics) against DATABASE_URL; without it, against the embedded Postgres, which it
// starts itself unless another Quorum process on this machine already runs it.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { createLogger } from '#app/utils/logger.server.ts'
import { exitWithError, loadEnvOrExit, prepareDatabase } from '#server/start.ts'

const log = createLogger({ component: 'worker' })

/** The embedded server another Quorum process started on this data directory, if it is running. */
async function runningEmbeddedUrl(dataDir: string) {
	const lock = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null)
	if (!lock) return null
	const [pidLine = '', , , portLine = ''] = lock.split('\n')
	const pid = Number(pidLine.trim())
	const port = Number(portLine.trim())
	if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null
	try {
		process.kill(pid, 0)
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null
	}
	return `postgresql://postgres:postgres@localhost:${port}/quorum`
}

export async function runWorker() {
	const env = loadEnvOrExit()
	let stopDatabase = async () => {}
	const shared = env.DATABASE_URL ? null : await runningEmbeddedUrl(path.resolve(env.DATA_DIR, 'postgres'))
	if (shared) {
		process.env.DATABASE_URL = shared
		const { migrate } = await import('#prisma/migrator.ts')
		await migrate({ connectionString: shared })
		log.info('using the embedded Postgres started by another Quorum process')
	} else {
		const database = await prepareDatabase(env)
		stopDatabase = database.stop
	}
	const { startWorker } = await import('./worker.ts')
	const { queuesFromSetting } = await import('./queues.ts')
	const worker = await startWorker({ log, queues: queuesFromSetting(process.env.WORKER_QUEUES) })

	let stopping = false
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			if (stopping) return
			stopping = true
			log.info('shutting down: finishing running jobs', { signal, graceSeconds: env.WORKER_SHUTDOWN_GRACE_SECONDS })
			worker
				.stop({ graceMs: env.WORKER_SHUTDOWN_GRACE_SECONDS * 1000 })
				.then(async () => {
					const { disconnectDb } = await import('#app/utils/db.server.ts')
					await disconnectDb()
					await stopDatabase()
				})
				.then(
					() => process.exit(0),
					(error: unknown) => {
						log.error('shutdown failed', { error: error instanceof Error ? error.message : String(error) })
						process.exit(1)
					},
				)
		})
	}
}

try {
	await runWorker()
} catch (error) {
	exitWithError(error)
}
