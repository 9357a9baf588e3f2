// Serves the production build for the end-to-end tests on a fresh database: a server named by
// DATABASE_URL when set, else an embedded Postgres of its own. The test process reads the
// database URL from E2E_URL_FILE to create users and sessions directly.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '#server/embedded-postgres.ts'
import { migrate } from '#prisma/migrator.ts'
import { E2E_APP_PORT, E2E_DATABASE, E2E_PG_DATA_DIR, E2E_PG_PORT, E2E_URL_FILE, withDatabaseName } from './e2e-env.ts'

process.env.NODE_ENV = 'production'
process.env.PORT = String(E2E_APP_PORT)
process.env.LOG_LEVEL ??= 'warn'
process.env.SECURE_COOKIES = 'false'
process.env.EXPORT_DIR ??= path.resolve(`data/e2e-exports-${E2E_APP_PORT}`)

const external = process.env.DATABASE_URL
const embedded = external ? null : await startEmbeddedPostgres({ dataDir: E2E_PG_DATA_DIR, port: E2E_PG_PORT })
const baseUrl = external ?? embedded!.connectionString

const admin = new pg.Client({ connectionString: withDatabaseName(baseUrl, 'postgres') })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS ${E2E_DATABASE} WITH (FORCE)`)
await admin.query(`CREATE DATABASE ${E2E_DATABASE}`)
await admin.end()

const databaseUrl = withDatabaseName(baseUrl, E2E_DATABASE)
await migrate({ connectionString: databaseUrl })
process.env.DATABASE_URL = databaseUrl
mkdirSync(path.dirname(E2E_URL_FILE), { recursive: true })
writeFileSync(E2E_URL_FILE, databaseUrl)

const { seedDemo } = await import('#prisma/seed/demo.ts')
await seedDemo()

const { loadEnvOrExit, serve, onShutdown } = await import('#server/start.ts')
const server = await serve({ env: loadEnvOrExit() })
// Exports need a worker; this one runs in the server's process so they complete during the run.
const { startWorker } = await import('#workers/worker.ts')
const worker = await startWorker({ pollIntervalMs: 250, schedule: false })
onShutdown(async () => {
	await worker.stop({ graceMs: 1_000 })
	await server.close()
	await embedded?.stop()
})
