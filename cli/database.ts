import { disconnectDb } from '#app/utils/db.server.ts'
import { CliError } from './errors.ts'

/** Admin commands work directly on the database named by DATABASE_URL. */
export function requireDatabaseUrl() {
	const url = process.env.DATABASE_URL
	if (!url) {
		throw new CliError(
			'DATABASE_URL is not set. Point it at the Quorum database, e.g. DATABASE_URL=postgresql://user:pass@host:5432/quorum ' +
				'(while `npm run demo` runs, its embedded database is postgresql://postgres:postgres@localhost:5433/quorum).',
		)
	}
	if (!/^postgres(ql)?:\/\//.test(url)) throw new CliError('DATABASE_URL must be a postgresql:// connection string')
	return url
}

export async function withDatabase<T>(run: (connectionString: string) => Promise<T>) {
	const connectionString = requireDatabaseUrl()
	try {
		return await run(connectionString)
	} finally {
		await disconnectDb()
	}
}
