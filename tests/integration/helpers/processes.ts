// Runs Quorum the way a deployment does, as separate processes (app replicas on the production
// build, workers), against a Postgres server of the test's own that it can stop and start.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { inject } from 'vitest'
import { startEmbeddedPostgres, type RunningDatabase } from '#server/embedded-postgres.ts'
import { waitFor } from './wait.ts'

export async function freePort() {
	const server = createServer()
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const { port } = server.address() as { port: number }
	await new Promise((resolve) => server.close(resolve))
	return port
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
	return new Promise<void>((resolve, reject) => {
		const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
		let stderr = ''
		child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
		child.on('error', reject)
		child.on('exit', (code) =>
			code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr}`)),
		)
	})
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
 * The production build of the current sources, made once per test run (several seconds) so a
 * test never runs a stale `build/`. It lives in the checkout, where the server's imports resolve.
 * Test files building at the same time race harmlessly; builds of finished runs are removed.
 */
export async function appBuild() {
	const runId = inject('testRunId')
	const dir = path.resolve(`build-test-${runId}`)
	if (existsSync(path.join(dir, 'server/index.js'))) return dir
	for (const name of await readdir('.')) {
		const owner = Number(/^build-test-(\d+)/.exec(name)?.[1])
		if (Number.isInteger(owner) && owner !== Number(runId) && !isAlive(owner))
			await rm(name, { recursive: true, force: true })
	}
	const staging = `${dir}-${randomUUID()}`
	await run('npx', ['react-router', 'build'], { ...process.env, NODE_ENV: 'production', QUORUM_BUILD_DIR: staging })
	await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }))
	return dir
}

/** A Postgres server of the test's own (a separate data directory and port), to stop and start at will. */
export async function dedicatedPostgres() {
	const dataDir = await mkdtemp(path.join(tmpdir(), 'quorum-fault-pg-'))
	const port = await freePort()
	const start = () =>
		startEmbeddedPostgres({
			dataDir,
			port,
			postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
		})
	let running: RunningDatabase | null = await start()
	const connectionString = running.connectionString
	return {
		connectionString,
		/** A fast shutdown: open connections are terminated (57P01), in-flight transactions roll back. */
		async stop() {
			await running?.stop()
			running = null
		},
		async start() {
			running ??= await start()
		},
		async destroy() {
			await running?.stop()
			await rm(dataDir, { recursive: true, force: true })
		},
	}
}

export type QuorumProcess = {
	child: ChildProcess
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
	alive: () => boolean
	output: () => string
	/** Resolves when the process has written a line containing `text` (stdout or stderr). */
	printed: (text: string, options?: { timeoutMs?: number }) => Promise<void>
}

export function spawnQuorum(script: string, env: NodeJS.ProcessEnv): QuorumProcess {
	const child = spawn(process.execPath, ['--import', 'tsx', script], {
		env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	let output = ''
	const append = (chunk: Buffer) => (output += chunk.toString())
	child.stdout!.on('data', append)
	child.stderr!.on('data', append)
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal })),
	)
	const alive = () => child.exitCode === null && child.signalCode === null
	return {
		child,
		exited,
		alive,
		output: () => output,
		printed: (text, { timeoutMs = 30_000 } = {}) =>
			Promise.race([
				waitFor(async () => output.includes(text), { timeoutMs, what: `${script} to print ${JSON.stringify(text)}` }),
				exited.then(() =>
					output.includes(text)
						? true
						: Promise.reject(new Error(`${script} exited before printing ${JSON.stringify(text)}: ${output}`)),
				),
			]).then(() => {}),
	}
}

/** An app replica (`server/index.ts` on the production build); resolves once it answers /healthz. */
export async function startApp({
	databaseUrl,
	buildDir,
	port,
	env = {},
}: {
	databaseUrl: string
	buildDir: string
	port?: number
	env?: NodeJS.ProcessEnv
}) {
	const appPort = port ?? (await freePort())
	const dataDir = await mkdtemp(path.join(tmpdir(), 'quorum-app-'))
	const app = spawnQuorum('server/index.ts', {
		DATABASE_URL: databaseUrl,
		QUORUM_BUILD_DIR: buildDir,
		PORT: String(appPort),
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		SECURE_COOKIES: 'false',
		...env,
	})
	void app.exited.then(() => rm(dataDir, { recursive: true, force: true }))
	const url = `http://127.0.0.1:${appPort}`
	await Promise.race([
		waitFor(
			() =>
				fetch(`${url}/healthz`).then(
					(res) => res.ok,
					() => false,
				),
			{ timeoutMs: 60_000, intervalMs: 100, what: `the app on port ${appPort} to answer /healthz` },
		),
		app.exited.then(() => Promise.reject(new Error(`the app exited while starting: ${app.output()}`))),
	])
	return { ...app, url, port: appPort }
}

export function startWorkerProcess({ databaseUrl, env = {} }: { databaseUrl: string; env?: NodeJS.ProcessEnv }) {
	return spawnQuorum('workers/index.ts', { DATABASE_URL: databaseUrl, ...env })
}

/** Kills what is still running (SIGKILL): for afterAll, after a test that failed half-way. */
export function killAll(processes: Iterable<{ child: ChildProcess; alive: () => boolean }>) {
	for (const process of processes) if (process.alive()) process.child.kill('SIGKILL')
}
