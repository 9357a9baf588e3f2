import pg from 'pg'

// Advisory locks are per Postgres session: they vanish the moment the worker holding one dies (its
// connection closes), which is how a crashed export is told apart from a slow one.
const EXPORT_LOCK_CLASS = 7_340_001

export const exportLockSql = {
	tryLock: `SELECT pg_try_advisory_lock(${EXPORT_LOCK_CLASS}, hashtext($1)) AS locked`,
	unlock: `SELECT pg_advisory_unlock(${EXPORT_LOCK_CLASS}, hashtext($1))`,
}

export type ExportLock = { release: () => Promise<void> }

/** Takes the export's lock on a connection of its own; null when another live process holds it. */
export async function tryLockExport({
	exportId,
	connectionString = process.env.DATABASE_URL,
}: {
	exportId: string
	connectionString?: string
}): Promise<ExportLock | null> {
	if (!connectionString) throw new Error('DATABASE_URL is not set: the database was not started before use')
	const client = new pg.Client({ connectionString, application_name: 'quorum-export-lock', keepAlive: true })
	await client.connect()
	// A dropped connection is the signal this lock exists for; its error must not crash the worker.
	client.on('error', () => {})
	try {
		const { rows } = await client.query<{ locked: boolean }>(exportLockSql.tryLock, [exportId])
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
			await client.query(exportLockSql.unlock, [exportId]).catch(() => {})
			await client.end().catch(() => {})
		},
	}
}
