import pg from 'pg'

const truncateStatements = new Map<string, Promise<string | undefined>>()

async function buildTruncateStatement(client: pg.Client) {
	const { rows } = await client.query<{ name: string }>(
		`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
		 WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY tablename`,
	)
	return rows.length ? `TRUNCATE ${rows.map((row) => row.name).join(', ')} RESTART IDENTITY CASCADE` : undefined
}

/**
 * Empties every table of this worker's database (not _prisma_migrations), for tests that need a
 * clean slate within a worker.
 */
export async function resetDatabase(connectionString = process.env.DATABASE_URL) {
	if (!connectionString)
		throw new Error('DATABASE_URL is not set: resetDatabase() runs inside Vitest, after tests/setup/setup-test-env.ts')
	const client = new pg.Client({ connectionString })
	await client.connect()
	try {
		// The tables do not change during a run, so list them once per database.
		let statement = truncateStatements.get(connectionString)
		if (!statement) {
			statement = buildTruncateStatement(client)
			truncateStatements.set(connectionString, statement)
			statement.catch(() => truncateStatements.delete(connectionString))
		}
		const sql = await statement
		if (sql) await client.query(sql)
	} finally {
		await client.end()
	}
}
