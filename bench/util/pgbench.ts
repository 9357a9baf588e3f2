import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { run } from './proc.ts'

export type PgbenchResult = {
	tps: number
	transactions: number
	failed: number
	latencyAvgMs: number | null
	error: string | null
}

/** Runs a custom pgbench script (one script run = one loop) and reads its throughput. */
export async function pgbench({
	databaseUrl,
	script,
	clients,
	seconds,
	variables = {},
	threads,
}: {
	databaseUrl: string
	script: string
	clients: number
	seconds: number
	variables?: Record<string, string>
	threads?: number
}): Promise<PgbenchResult> {
	const file = path.join(tmpdir(), `quorum-bench-${process.pid}-${Date.now()}.sql`)
	await writeFile(file, script)
	const args = [
		'-n',
		'-M',
		'prepared',
		'-c',
		String(clients),
		'-j',
		String(threads ?? Math.min(clients, 2)),
		'-T',
		String(seconds),
		'-f',
		file,
	]
	for (const [name, value] of Object.entries(variables)) args.push('-D', `${name}=${value}`)
	args.push(databaseUrl)
	const result = await run('pgbench', args, { timeoutMs: (seconds + 120) * 1000 }).finally(() =>
		rm(file, { force: true }),
	)
	const output = `${result.stdout}\n${result.stderr}`
	const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? Number.NaN)
	const transactions = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1] ?? 0)
	const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0)
	const latency = /latency average = ([\d.]+) ms/.exec(output)?.[1]
	const aborted = /client \d+ aborted[^\n]*/.exec(output)?.[0] ?? null
	const error =
		result.code !== 0 || !Number.isFinite(tps) ? (aborted ?? output.trim().split('\n').slice(-5).join(' | ')) : null
	return { tps, transactions, failed, latencyAvgMs: latency ? Number(latency) : null, error }
}
