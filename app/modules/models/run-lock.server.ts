import pg from 'pg'

// A session advisory lock vanishes with the connection of a worker that dies, which is how a
// crashed run (an export, a generation, a judge run) is told apart from a slow one.
export type RunLock = { release: () => Promise<void> }

/** A session advisory lock on (lockClass, runId), held on its own connection; null when taken. */
export async function tryLockRun({
	lockClass,
	runId,
	applicationName,
	connectionString = process.env.DATABASE_URL,
}: {
	lockClass: number
	runId: string
	applicationName: string
	connectionString?: string
}): Promise<RunLock | null> {
	if (!connectionString) throw new Error('DATABASE_URL is not set: the database was not started before use')
	const client = new pg.Client({ connectionString, application_name: applicationName, keepAlive: true })
	await client.connect()
	// A dropped connection is the signal this lock exists for; its error must not crash the worker.
	client.on('error', () => {})
	try {
		const { rows } = await client.query<{ locked: boolean }>(
			`SELECT pg_try_advisory_lock(${lockClass}, hashtext($1)) AS locked`,
			[runId],
		)
		if (!rows[0]?.locked) {
			await client.end()
			return null
		}
	} catch (error) {
		await client.end().catch(() => {})
		throw error
	}
	let released = false
	return {
		release: async () => {
			if (released) return
			released = true
			await client.query(`SELECT pg_advisory_unlock(${lockClass}, hashtext($1))`, [runId]).catch(() => {})
			await client.end().catch(() => {})
		},
	}
}
