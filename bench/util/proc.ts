import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** A process's peak resident set (VmHWM) in MB, or null when it cannot be read (not Linux, or gone). */
export function peakRssMb(pid: number | 'self'): number | null {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8')
		const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)
		return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null
	} catch {
		return null
	}
}

export function rssMb(pid: number | 'self'): number | null {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8')
		const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
		return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null
	} catch {
		return null
	}
}

/** Keeps the last lines a child wrote, for error messages. */
export function captureTail(child: ChildProcess, limit = 60) {
	const lines: string[] = []
	const take = (chunk: Buffer) => {
		for (const line of chunk.toString('utf8').split('\n')) {
			if (line.trim() === '') continue
			lines.push(line)
			if (lines.length > limit) lines.shift()
		}
	}
	child.stdout?.on('data', take)
	child.stderr?.on('data', take)
	return () => lines.join('\n')
}

export type RunResult = { code: number | null; stdout: string; stderr: string; ms: number }

/** Runs a command to completion, collecting its output (bounded by `timeoutMs`). */
export function run(
	command: string,
	args: string[],
	options: SpawnOptions & { timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
	const { timeoutMs = 30 * 60_000, input, ...spawnOptions } = options
	return new Promise((resolve, reject) => {
		const started = process.hrtime.bigint()
		const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...spawnOptions })
		let stdout = ''
		let stderr = ''
		child.stdout?.on('data', (chunk: Buffer) => {
			stdout += chunk.toString('utf8')
			if (stdout.length > 4_000_000) stdout = stdout.slice(-2_000_000)
		})
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr += chunk.toString('utf8')
			if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000)
		})
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
		child.on('error', (error) => {
			clearTimeout(timer)
			reject(error)
		})
		child.on('close', (code) => {
			clearTimeout(timer)
			resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 })
		})
		if (input !== undefined) child.stdin?.end(input)
		else child.stdin?.end()
	})
}

/** Stops a child we started: SIGTERM, then SIGKILL after a grace period. */
export async function stopChild(child: ChildProcess, graceMs = 10_000) {
	if (child.exitCode !== null || child.signalCode !== null) return
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
	child.kill('SIGTERM')
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
	await exited
	clearTimeout(timer)
}

/** CPU time (user + system) a process has used so far, in ms; null when /proc cannot tell. */
export function cpuMs(pid: number): number | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
		// Fields after the command name (which may contain spaces): utime and stime are fields 14 and 15.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
	} catch {
		return null
	}
}

const CLOCK_TICKS = 100

const tracked = new Set<ChildProcess>()

/** Long-lived children (app server, worker) that an interrupted benchmark must not leave behind. */
export function trackChild(child: ChildProcess) {
	tracked.add(child)
	child.once('exit', () => tracked.delete(child))
	return child
}

export function killTrackedChildren() {
	for (const child of tracked) child.kill('SIGKILL')
}
