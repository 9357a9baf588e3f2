// Starts (or connects to) the test Postgres server once per run and builds a migrated template
// database that each test worker clones (see setup-test-env.ts).
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrate } from '#prisma/migrator.ts'
import { connectionStringWithDatabase, quoteIdentifier } from '#prisma/pg-url.ts'
import { startEmbeddedPostgres, type RunningDatabase } from '#server/embedded-postgres.ts'
import { runPrefix, templateDatabase, WORKER_DATABASE_PREFIX } from './test-database.ts'

const DEFAULT_TEST_PGPORT = 54329

function log(message: string) {
	if (process.env.TEST_DB_DEBUG) process.stdout.write(`[test-db] ${message}\n`)
}

async function withAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>) {
	const client = new pg.Client({ connectionString: adminUrl })
	await client.connect()
	try {
		return await run(client)
	} finally {
		await client.end()
	}
}

function isAlive(pid: number) {
	try {
		process.kill(pid, 0)
		return true
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM'
	}
}

/** Drops this run's databases, and those left behind by runs whose process is gone. */
async function dropTestDatabases(client: pg.Client, runId: string) {
	const { rows } = await client.query<{ datname: string }>(
		'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
		[WORKER_DATABASE_PREFIX],
	)
	for (const { datname } of rows) {
		const owner = Number(/^quorum_test_(\d+)_/.exec(datname)?.[1])
		const mine = datname.startsWith(runPrefix(runId))
		if (mine || !Number.isInteger(owner) || !isAlive(owner)) {
			await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)} WITH (FORCE)`)
		}
	}
}

export default async function setup(project: TestProject) {
	const runId = String(process.pid)
	const template = templateDatabase(runId)
	let embedded: RunningDatabase | undefined
	let adminUrl = process.env.DATABASE_URL
	if (!adminUrl) {
		const started = performance.now()
		embedded = await startEmbeddedPostgres({
			dataDir: path.resolve(process.env.TEST_PGDATA || 'data/test-postgres'),
			port: Number(process.env.TEST_PGPORT || DEFAULT_TEST_PGPORT),
			portSetting: 'TEST_PGPORT',
			log,
			// The data directory is a disposable cache, so durability is not worth its cost here.
			postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
		})
		adminUrl = connectionStringWithDatabase(embedded.connectionString, 'postgres')
		log(`embedded server ready in ${Math.round(performance.now() - started)} ms`)
	}

	try {
		const started = performance.now()
		await withAdmin(adminUrl, async (client) => {
			await dropTestDatabases(client, runId)
			await client.query(`CREATE DATABASE ${quoteIdentifier(template)}`)
		})
		await migrate({ connectionString: connectionStringWithDatabase(adminUrl, template) })
		// Stray connections to a template make CREATE DATABASE ... TEMPLATE fail.
		await withAdmin(adminUrl, (client) =>
			client.query(`ALTER DATABASE ${quoteIdentifier(template)} ALLOW_CONNECTIONS false`),
		)
		log(`template ${template} migrated in ${Math.round(performance.now() - started)} ms`)

		const runDir = await mkdtemp(path.join(os.tmpdir(), 'quorum-vitest-'))
		project.provide('testDatabaseAdminUrl', adminUrl)
		project.provide('testRunDir', runDir)
		project.provide('testRunId', runId)

		return async () => {
			await rm(runDir, { recursive: true, force: true })
			await withAdmin(adminUrl, (client) => dropTestDatabases(client, runId)).catch(() => {})
			// The embedded data directory stays: it is a cache that makes the next start fast.
			await embedded?.stop()
		}
	} catch (error) {
		await embedded?.stop()
		throw error
	}
}
