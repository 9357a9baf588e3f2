// The Postgres server the benchmark runs on: DATABASE_URL's, or an embedded one of its own under
// data/bench-postgres. Every scenario gets a database of its own, cloned from a migrated template,
// and every database is dropped at the end.
import net from 'node:net'
import path from 'node:path'
import pg from 'pg'
import { connectionStringWithDatabase, quoteIdentifier } from '#prisma/pg-url.ts'
import { migrate } from '#prisma/migrator.ts'
import { startEmbeddedPostgres } from '#server/embedded-postgres.ts'
import { progress } from './log.ts'

export type BenchServer = {
	/** The server's address with its maintenance database. */
	adminUrl: string
	embedded: boolean
	postgresVersion: string
	/** A fresh, migrated database; dropped by close(). */
	createDatabase(name: string): Promise<string>
	dropDatabase(url: string): Promise<void>
	close(): Promise<void>
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer()
		server.once('error', reject)
		server.listen(0, '127.0.0.1', () => {
			const address = server.address()
			const port = typeof address === 'object' && address ? address.port : 0
			server.close(() => resolve(port))
		})
	})
}

export async function withClient<T>(connectionString: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString, application_name: 'quorum-bench' })
	await client.connect()
	try {
		return await run(client)
	} finally {
		await client.end().catch(() => {})
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

/**
 * Databases a killed benchmark on this machine left behind (named after a process that is gone).
 * Only on a server on this machine, where the process ids mean something.
 */
async function dropAbandoned(adminUrl: string) {
	const host = new URL(adminUrl).hostname
	if (host !== 'localhost' && host !== '127.0.0.1' && host !== '::1' && host !== '[::1]') return
	await withClient(adminUrl, async (client) => {
		const { rows } = await client.query<{ datname: string }>(
			`SELECT datname FROM pg_database WHERE datname ~ '^quorum_bench_[0-9]+_'`,
		)
		for (const { datname } of rows) {
			const pid = Number(/^quorum_bench_(\d+)_/.exec(datname)![1])
			if (pid === process.pid || isAlive(pid)) continue
			await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)} WITH (FORCE)`).catch(() => {})
			progress(`dropped ${datname}, left behind by an earlier run that was killed`)
		}
	})
}

export async function openBenchServer(): Promise<BenchServer> {
	let baseUrl = process.env.DATABASE_URL
	let stopEmbedded: (() => Promise<void>) | null = null
	if (!baseUrl) {
		const port = await freePort()
		progress(`no DATABASE_URL: starting an embedded Postgres on port ${port} (data/bench-postgres)`)
		const running = await startEmbeddedPostgres({
			dataDir: path.resolve('data/bench-postgres'),
			port,
			database: 'postgres',
		})
		baseUrl = running.connectionString
		stopEmbedded = running.stop
	}
	const adminUrl = connectionStringWithDatabase(baseUrl, 'postgres')
	const postgresVersion = await withClient(
		adminUrl,
		async (client) => (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v,
	)
	await dropAbandoned(adminUrl)
	const prefix = `quorum_bench_${process.pid}`
	const created = new Set<string>()
	let template: Promise<string> | undefined

	const run = (sql: string) => withClient(adminUrl, (client) => client.query(sql))

	const ensureTemplate = () => {
		template ??= (async () => {
			const name = `${prefix}_template`
			await run(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`)
			await run(`CREATE DATABASE ${quoteIdentifier(name)}`)
			created.add(name)
			const started = Date.now()
			await migrate({ connectionString: connectionStringWithDatabase(baseUrl, name) })
			progress(`migrated the template database in ${((Date.now() - started) / 1000).toFixed(1)}s`)
			return name
		})()
		return template
	}

	const dropByName = async (name: string) => {
		await run(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`)
		created.delete(name)
	}

	return {
		adminUrl,
		embedded: stopEmbedded !== null,
		postgresVersion,
		async createDatabase(label: string) {
			const source = await ensureTemplate()
			const name = `${prefix}_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`
			await run(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`)
			await run(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(source)}`)
			created.add(name)
			return connectionStringWithDatabase(baseUrl, name)
		},
		async dropDatabase(url: string) {
			await dropByName(decodeURIComponent(new URL(url).pathname.slice(1)))
		},
		async close() {
			for (const name of [...created])
				await dropByName(name).catch((error: unknown) => progress(`could not drop ${name}: ${String(error)}`))
			if (stopEmbedded) await stopEmbedded()
		},
	}
}
