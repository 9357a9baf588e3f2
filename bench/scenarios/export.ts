// The large project's million judgments exported as trl-preference Parquet by the worker process
// (`workers/index.ts`, job `export.build`), against psql writing the same pairs with
// COPY (SELECT json_build_object(...)) TO a file. Runs alternate worker and COPY.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { ExportRequestOptionsSchema } from '#app/modules/exports/export.schema.ts'
import { createBoss, ensureQueues } from '#app/modules/jobs/queue.server.ts'
import { getDatasetFormat } from '#exports/formats/index.ts'
import { progress } from '../util/log.ts'
import { captureTail, peakRssMb, rssMb, run, stopChild, trackChild } from '../util/proc.ts'
import { median, round } from '../util/stats.ts'
import { SkipScenario, type Scenario } from './types.ts'

const FORMAT = 'trl-preference'

/**
 * The pairs the default trl-preference export writes: one per judgment with a winner (ties and
 * both-bad dropped), duplicates of the same prompt, chosen and rejected dropped, in import order.
 */
const copySql = (projectId: string) =>
	`COPY (SELECT json_build_object('prompt', i.context->>'prompt', 'chosen', w.content, 'rejected', l.content, 'group_id', i.id)
	FROM (SELECT DISTINCT j.item_id, j.ranking->0->>0 AS winner, j.ranking->1->>0 AS loser FROM judgments j
		WHERE j.project_id = '${projectId}' AND NOT j.both_bad AND jsonb_array_length(j.ranking) = 2) p
	JOIN items i ON i.id = p.item_id AND NOT i.is_gold
	JOIN responses w ON w.item_id = p.item_id AND w.key = p.winner
	JOIN responses l ON l.item_id = p.item_id AND l.key = p.loser
	ORDER BY i.seq) TO STDOUT`

async function directorySize(dir: string): Promise<number> {
	let total = 0
	for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
		if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size
	}
	return total
}

async function copyToFile(databaseUrl: string, sql: string, file: string) {
	const started = process.hrtime.bigint()
	const result = await run(
		'sh',
		['-c', 'psql -X -q -v ON_ERROR_STOP=1 "$1" -c "$2" > "$3"', 'sh', databaseUrl, sql, file],
		{ timeoutMs: 30 * 60_000 },
	)
	if (result.code !== 0) throw new Error(`psql COPY failed: ${result.stderr.slice(0, 500)}`)
	const seconds = Number(process.hrtime.bigint() - started) / 1e9
	const lines = Number((await run('wc', ['-l', file])).stdout.trim().split(/\s+/)[0])
	return { seconds, lines, bytes: (await stat(file)).size }
}

/**
 * Exactly what `npm run worker` runs, with this Node: its steps before the last one (compiling the
 * worker) run first, and the last one (the worker, with its Node flags) is the measured process.
 */
export async function workerNodeArgs() {
	const { scripts } = JSON.parse(await readFile(path.resolve('package.json'), 'utf8')) as {
		scripts: Record<string, string>
	}
	// The shell's ${NAME:-default}, as npm's shell would expand it.
	const expanded = scripts.worker!.replace(
		/\$\{(\w+):-([^}]*)\}/g,
		(_, name: string, fallback: string) => process.env[name] || fallback,
	)
	const steps = expanded.split('&&').map((step) => step.trim().split(/\s+/))
	for (const step of steps) {
		if (step[0] !== 'node') throw new Error(`expected every step of "npm run worker" to run node, not ${step[0]}`)
	}
	for (const step of steps.slice(0, -1)) {
		const result = await run(process.execPath, step.slice(1), { timeoutMs: 120_000 })
		if (result.code !== 0) throw new Error(`${step.join(' ')} failed:\n${result.stderr.slice(-2000)}`)
	}
	return steps.at(-1)!.slice(1)
}

async function startWorker({ databaseUrl, exportDir }: { databaseUrl: string; exportDir: string }) {
	const child = trackChild(
		spawn(process.execPath, await workerNodeArgs(), {
			stdio: ['ignore', 'pipe', 'pipe'],
			// Only exports: the analytics refresh the full worker runs every five minutes would otherwise
			// land on this million-judgment project in the middle of a measurement.
			env: {
				...process.env,
				NODE_ENV: 'production',
				DATABASE_URL: databaseUrl,
				EXPORT_DIR: exportDir,
				DATA_DIR: exportDir,
				LOG_LEVEL: 'info',
				WORKER_QUEUES: 'export.build',
			},
		}),
	)
	const tail = captureTail(child)
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the worker did not start within 120 s:\n${tail()}`)), 120_000)
		const onData = (chunk: Buffer) => {
			if (chunk.toString('utf8').includes('"worker started"')) {
				clearTimeout(timer)
				child.stdout?.off('data', onData)
				resolve()
			}
		}
		child.stdout?.on('data', onData)
		child.once('exit', (code) => {
			clearTimeout(timer)
			reject(new Error(`the worker exited (code ${code}):\n${tail()}`))
		})
	})
	return { child, tail }
}

export const exportScenario: Scenario = {
	name: 'export',
	description: 'trl-preference Parquet through the worker vs COPY of the same pairs as JSON',
	async run(context) {
		const missing = [
			'workers/index.ts',
			'app/modules/jobs/handlers/export-build.server.ts',
			'app/modules/exports/build-export.server.ts',
		].filter((file) => !existsSync(path.resolve(file)))
		if (missing.length > 0) throw new SkipScenario(`not there yet: ${missing.join(', ')}`)
		const large = await context.largeProject({ fraction: 1 })
		const { databaseUrl, fixture } = large
		const dir = await mkdtemp(path.join(tmpdir(), 'quorum-bench-export-'))
		const db = new pg.Client({ connectionString: databaseUrl })
		db.on('error', () => {})
		await db.connect()
		const boss = createBoss({ connectionString: databaseUrl, role: 'client' })
		let worker: Awaited<ReturnType<typeof startWorker>> | undefined
		try {
			const { rows: countRows } = await db.query<{ n: number }>(
				`SELECT count(*)::int AS n FROM judgments WHERE project_id = $1`,
				[fixture.projectId],
			)
			const judgments = countRows[0]!.n
			worker = await startWorker({ databaseUrl, exportDir: path.join(dir, 'exports') })
			const workerRssAtStartMb = rssMb(worker.child.pid!)
			await boss.start()
			await ensureQueues(boss)
			const options = ExportRequestOptionsSchema.parse({})
			const format = getDatasetFormat({ name: FORMAT })

			const app: { seconds: number; waitSeconds: number; rows: number; bytes: number }[] = []
			const copy: { seconds: number; lines: number; bytes: number }[] = []
			for (let index = 0; index < context.runs; index++) {
				const { rows } = await db.query<{ id: string }>(
					`INSERT INTO exports (project_id, format, format_version, options) VALUES ($1, $2, $3, $4) RETURNING id::text`,
					[fixture.projectId, format.name, format.version, JSON.stringify(options)],
				)
				const exportId = rows[0]!.id
				const sent = Date.now()
				await boss.send('export.build', { exportId }, { id: exportId })
				type ExportRow = {
					status: string
					started: number | null
					finished: number | null
					rows_written: number
					error: string | null
				}
				let row: ExportRow | undefined
				for (;;) {
					;({
						rows: [row],
					} = await db.query<ExportRow>(
						`SELECT status::text, extract(epoch FROM started_at) * 1000 AS started, extract(epoch FROM finished_at) * 1000 AS finished, rows_written, error
						FROM exports WHERE id = $1`,
						[exportId],
					))
					if (row && ['succeeded', 'failed', 'cancelled'].includes(row.status)) break
					if (Date.now() - sent > 60 * 60_000) throw new Error('the export did not finish within an hour')
					if (worker.child.exitCode !== null) throw new Error(`the worker died:\n${worker.tail()}`)
					await new Promise((resolve) => setTimeout(resolve, 100))
				}
				if (row.status !== 'succeeded') throw new Error(`the export ${row.status}: ${row.error}`)
				const seconds = (Number(row.finished) - Number(row.started)) / 1000
				const bytes = await directorySize(path.join(dir, 'exports', exportId))
				app.push({ seconds, waitSeconds: (Number(row.started) - sent) / 1000, rows: row.rows_written, bytes })
				await rm(path.join(dir, 'exports', exportId), { recursive: true, force: true })

				const copied = await copyToFile(databaseUrl, copySql(fixture.projectId), path.join(dir, 'copy.jsonl'))
				copy.push(copied)
				await rm(path.join(dir, 'copy.jsonl'), { force: true })
				progress(
					`export run ${index + 1}/${context.runs}: worker ${seconds.toFixed(1)}s for ${row.rows_written} rows, COPY ${copied.seconds.toFixed(1)}s for ${copied.lines} rows`,
				)
			}
			const peak = peakRssMb(worker.child.pid!)
			const workerSeconds = median(app.map((r) => r.seconds))
			const copySeconds = median(copy.map((r) => r.seconds))
			return {
				ratio: round(copySeconds / workerSeconds),
				peakRssMb: peak,
				workerRssAtStartMb,
				workerRowsPerSec: round(judgments / workerSeconds),
				copyRowsPerSec: round(judgments / copySeconds),
				workerSeconds: round(workerSeconds),
				copySeconds: round(copySeconds),
				judgments,
				rowsWritten: app[0]!.rows,
				copyRows: copy[0]!.lines,
				parquetMb: round(app[0]!.bytes / 2 ** 20),
				copyMb: round(copy[0]!.bytes / 2 ** 20),
				queueWaitSeconds: round(median(app.map((r) => r.waitSeconds))),
				format: FORMAT,
				options: 'defaults (per judgment, standard style, ties dropped, deduplicated, Parquet)',
				runs: app.map((r, index) => ({ worker: round(r.seconds), copy: round(copy[index]!.seconds) })),
			}
		} finally {
			await boss.stop({ graceful: false, close: true, wait: true }).catch(() => {})
			if (worker) await stopChild(worker.child, 40_000)
			await db.end().catch(() => {})
			await rm(dir, { recursive: true, force: true })
		}
	},
}
