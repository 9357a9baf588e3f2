import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
	assertDataDirWritable,
	DatabaseStartupError,
	passwordFileFor,
	resolveDatabase,
	startEmbeddedPostgres,
} from './embedded-postgres.ts'

let root: string

beforeAll(async () => {
	root = await mkdtemp(path.join(os.tmpdir(), 'quorum-pg-'))
	// As root the server runs as the postgres OS user, which must be able to reach the data directory.
	await chmod(root, 0o755)
})
afterAll(async () => {
	await rm(root, { recursive: true, force: true })
})

async function freePort() {
	const server = net.createServer()
	server.listen(0, '127.0.0.1')
	await once(server, 'listening')
	const { port } = server.address() as net.AddressInfo
	server.close()
	await once(server, 'close')
	return port
}

async function failure(promise: Promise<unknown>) {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	)
	expect(error).toBeInstanceOf(DatabaseStartupError)
	return (error as DatabaseStartupError).message
}

async function deadPid() {
	const child = spawn(process.execPath, ['-e', ''])
	await once(child, 'exit')
	return child.pid!
}

test('a taken port is named, with how to choose another', async () => {
	const blocker = net.createServer()
	blocker.listen(0, '127.0.0.1')
	await once(blocker, 'listening')
	const { port } = blocker.address() as net.AddressInfo
	try {
		const message = await failure(startEmbeddedPostgres({ dataDir: path.join(root, 'port-taken'), port }))
		expect(message).toMatch(
			new RegExp(`^Port ${port} is already in use.*Set PGPORT to a free port, or stop the program using it`),
		)
	} finally {
		blocker.close()
	}
})

test('a data directory from another PostgreSQL major version is named, with how to migrate or move it aside', async () => {
	const dataDir = path.join(root, 'pg14')
	await mkdir(dataDir, { mode: 0o700 })
	await writeFile(path.join(dataDir, 'PG_VERSION'), '14\n')

	const message = await failure(startEmbeddedPostgres({ dataDir, port: await freePort() }))

	expect(message).toMatch(/was created by PostgreSQL 14, but the embedded server is PostgreSQL 18/)
	expect(message).toContain("PostgreSQL 14's pg_dump")
	expect(message).toContain(`mv ${dataDir} ${dataDir}.pg14`)
})

test('a leftover directory without PG_VERSION is reported instead of failing inside initdb', async () => {
	const dataDir = path.join(root, 'half-initialised')
	await mkdir(path.join(dataDir, 'base'), { recursive: true })
	const message = await failure(startEmbeddedPostgres({ dataDir, port: await freePort() }))
	expect(message).toMatch(/is not empty but holds no Postgres data.*rm -rf/)
})

describe('a data directory that cannot be written', () => {
	test('below a regular file', async () => {
		const file = path.join(root, 'a-file')
		await writeFile(file, '')
		const message = await failure(assertDataDirWritable(path.join(file, 'postgres')))
		expect(message).toMatch(/a-file is a file, not a directory/)
		expect(await failure(startEmbeddedPostgres({ dataDir: path.join(file, 'postgres'), port: await freePort() }))).toBe(
			message,
		)
	})

	test('below a directory the server user may not enter', async () => {
		// Not writable by a regular user; as root, closed to the postgres OS user that runs the server.
		const closed = path.join(root, 'closed')
		await mkdir(closed, { mode: 0o500 })
		await chmod(closed, 0o500)
		const message = await failure(assertDataDirWritable(path.join(closed, 'data', 'postgres')))
		expect(message).toContain(closed)
		expect(message).toMatch(/Cannot create directories in|cannot reach/)
	})
})

describe('with an initialised data directory', () => {
	let dataDir: string

	beforeAll(async () => {
		dataDir = path.join(root, 'initialised')
		const server = await startEmbeddedPostgres({ dataDir, port: await freePort() })
		await server.stop()
	}, 120_000)

	test.each([
		['a dead pid', deadPid],
		['a pid reused by an unrelated process', async () => process.pid],
	])('a stale postmaster.pid naming %s is removed, logged, and the server starts', async (_case, stalePid) => {
		const pid = await stalePid()
		await writeFile(path.join(dataDir, 'postmaster.pid'), `${pid}\n${dataDir}\n1700000000\n5432\n\n`)
		const logs: string[] = []

		const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: (line) => logs.push(line) })
		try {
			expect(logs).toContainEqual(expect.stringMatching(new RegExp(`^Removed a stale postmaster.pid .*pid ${pid}`)))
			const client = new pg.Client({ connectionString: server.connectionString })
			await client.connect()
			const { rows } = await client.query<{ database: string }>('SELECT current_database() AS database')
			await client.end()
			expect(rows).toEqual([{ database: 'quorum' }])
		} finally {
			await server.stop()
		}
	})

	test('a second server on the same data directory is refused, naming the running one', async () => {
		const first = await startEmbeddedPostgres({ dataDir, port: await freePort() })
		try {
			const pid = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]
			const message = await failure(startEmbeddedPostgres({ dataDir, port: await freePort() }))
			expect(message).toMatch(
				new RegExp(`^Another Postgres server \\(pid ${pid}, port \\d+\\) is already using the data directory`),
			)
		} finally {
			await first.stop()
		}
	})
})

test('resolveDatabase() uses DATABASE_URL when set and starts nothing', async () => {
	const connectionString = 'postgresql://someone@db.example:5432/quorum'
	const database = await resolveDatabase({
		env: { DATABASE_URL: connectionString },
		dataDir: path.join(root, 'unused'),
		port: 1,
	})
	expect(database.connectionString).toBe(connectionString)
	expect(database.embedded).toBe(false)
	await database.stop()
})

test('a new data directory gets a random password, stored owner-only beside it and used again on restart', async () => {
	const dataDir = path.join(root, 'generated-password')
	const first = await startEmbeddedPostgres({ dataDir, port: await freePort() })
	let connectionString = first.connectionString
	try {
		const file = passwordFileFor(dataDir)
		const password = (await readFile(file, 'utf8')).trim()
		expect(password.length).toBeGreaterThanOrEqual(32)
		expect((await stat(file)).mode & 0o777).toBe(0o600)
		expect(decodeURIComponent(new URL(connectionString).password)).toBe(password)
		const guessed = new pg.Client({
			connectionString: connectionString.replace(encodeURIComponent(password), 'postgres'),
		})
		await expect(guessed.connect()).rejects.toThrow(/password authentication failed/)
	} finally {
		await first.stop()
	}
	const again = await startEmbeddedPostgres({ dataDir, port: await freePort() })
	try {
		connectionString = again.connectionString
		const client = new pg.Client({ connectionString })
		await client.connect()
		await client.end()
	} finally {
		await again.stop()
	}
}, 120_000)
