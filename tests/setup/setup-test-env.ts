// Runs before each test file. Gives each worker its own database, cloned from the migrated
// template once per worker and run, and makes console.error fail the test that triggers it.
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, inject, vi, type MockInstance } from 'vitest'
import { connectionStringWithDatabase, quoteIdentifier } from '#prisma/pg-url.ts'
import { templateDatabase, workerDatabaseName } from './test-database.ts'

const runId = inject('testRunId')
const database = workerDatabaseName(runId, process.env.VITEST_POOL_ID ?? '1')
const adminUrl = inject('testDatabaseAdminUrl')
// Test files may each run in a fresh process, so "already cloned" lives on disk for the run.
const clonedMarker = path.join(inject('testRunDir'), database)

if (!existsSync(clonedMarker)) {
	const started = performance.now()
	const { default: pg } = await import('pg')
	const client = new pg.Client({ connectionString: adminUrl })
	await client.connect()
	try {
		await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`)
		await client.query(
			`CREATE DATABASE ${quoteIdentifier(database)} TEMPLATE ${quoteIdentifier(templateDatabase(runId))}`,
		)
	} finally {
		await client.end()
	}
	writeFileSync(clonedMarker, '')
	if (process.env.TEST_DB_DEBUG)
		process.stdout.write(`[test-db] cloned ${database} in ${Math.round(performance.now() - started)} ms\n`)
}

process.env.DATABASE_URL = connectionStringWithDatabase(adminUrl, database)

export let consoleError: MockInstance<(typeof console)['error']>

beforeEach(() => {
	const originalConsoleError = console.error
	consoleError = vi.spyOn(console, 'error')
	consoleError.mockImplementation((...args: Parameters<typeof console.error>) => {
		originalConsoleError(...args)
		throw new Error(
			'console.error was called. If the test expects it, spy on it: consoleError.mockImplementation(() => {})',
		)
	})
})

afterEach(() => {
	consoleError.mockRestore()
})
