// The production server as a child process: `node <build>/entry/server.js` (the compiled server/index.ts) serving the build
// in QUORUM_BUILD_DIR (build-bench by default, built first when missing), bound to 127.0.0.1 on a
// free port, against the scenario's database.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort } from './db.ts'
import { progress } from './log.ts'
import { captureTail, cpuMs, peakRssMb, rssMb, run, stopChild, trackChild } from './proc.ts'

export const buildDir = () => process.env.QUORUM_BUILD_DIR ?? 'build-bench'
const serverEntry = () => path.resolve(buildDir(), 'entry/server.js')

let building: Promise<void> | undefined

/** Builds the app into buildDir() unless a build is there already (or always, with `force`). */
export function ensureBuild({ force = false }: { force?: boolean } = {}) {
	building ??= (async () => {
		if (!force && existsSync(path.resolve(buildDir(), 'server/index.js')) && existsSync(serverEntry())) return
		progress(`building the production app into ${buildDir()}`)
		const env = { ...process.env, QUORUM_BUILD_DIR: buildDir(), NODE_ENV: 'production' }
		const result = await run(path.resolve('node_modules/.bin/react-router'), ['build'], { env, timeoutMs: 10 * 60_000 })
		if (result.code !== 0)
			throw new Error(`The production build failed:\n${(result.stdout + result.stderr).slice(-4000)}`)
		const entry = await run(process.execPath, ['scripts/build-server.js'], { env, timeoutMs: 5 * 60_000 })
		if (entry.code !== 0)
			throw new Error(`Compiling the server entry failed:\n${(entry.stdout + entry.stderr).slice(-4000)}`)
		progress(`built in ${((result.ms + entry.ms) / 1000).toFixed(1)}s`)
	})()
	return building
}

/** BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server under load. */
function serverNodeArgs() {
	return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)
}

export type AppServer = {
	url: string
	pid: number
	peakRssMb(): number | null
	rssMb(): number | null
	/** CPU time the server has used so far (ms). */
	cpuMs(): number | null
	stop(): Promise<void>
}

export async function startAppServer({
	databaseUrl,
	env = {},
}: {
	databaseUrl: string
	env?: Record<string, string>
}): Promise<AppServer> {
	await ensureBuild()
	const port = await freePort()
	const dataDir = await mkdtemp(path.join(tmpdir(), 'quorum-bench-'))
	const child: ChildProcess = trackChild(
		spawn(process.execPath, [...serverNodeArgs(), serverEntry()], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {
				...process.env,
				NODE_ENV: 'production',
				DATABASE_URL: databaseUrl,
				PORT: String(port),
				HOST: '127.0.0.1',
				QUORUM_BUILD_DIR: buildDir(),
				DATA_DIR: dataDir,
				// One log line per request is the deployment's choice; here it would only fill a pipe.
				LOG_LEVEL: 'warn',
				SECURE_COOKIES: 'false',
				...env,
			},
		}),
	)
	const tail = captureTail(child)
	const url = `http://127.0.0.1:${port}`
	const exited = new Promise<never>((_, reject) =>
		child.once('exit', (code) =>
			reject(new Error(`The app server exited (code ${code}) before it was ready:\n${tail()}`)),
		),
	)
	exited.catch(() => {})
	const deadline = Date.now() + 120_000
	const ready = (async () => {
		for (;;) {
			if (Date.now() > deadline) throw new Error(`The app server did not answer within 120 s:\n${tail()}`)
			try {
				const response = await fetch(`${url}/login`, { redirect: 'manual' })
				await response.arrayBuffer()
				if (response.status < 500) return
			} catch {
				// Not listening yet.
			}
			await new Promise((resolve) => setTimeout(resolve, 100))
		}
	})()
	try {
		await Promise.race([ready, exited])
	} catch (error) {
		await stopChild(child)
		await rm(dataDir, { recursive: true, force: true })
		throw error
	}
	return {
		url,
		pid: child.pid!,
		peakRssMb: () => peakRssMb(child.pid!),
		rssMb: () => rssMb(child.pid!),
		cpuMs: () => cpuMs(child.pid!),
		async stop() {
			await stopChild(child)
			await rm(dataDir, { recursive: true, force: true })
		},
	}
}
