import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeEach, expect, test } from 'vitest'
import { requestExport } from '#app/modules/exports/request-export.server.ts'
import { stopQueueClient } from '#app/modules/jobs/enqueue.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { bulkJudgments, makeExportProject } from '#tests/factories/exports.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeUser } from '#tests/factories/users.ts'
import { checksumMismatches, clearExportQueue } from '#tests/integration/helpers/exports.ts'
import { waitFor } from '#tests/integration/helpers/wait.ts'

const exportRoot = await mkdtemp(path.join(tmpdir(), 'quorum-worker-crash-'))
process.env.EXPORT_DIR = exportRoot
const children: ChildProcess[] = []

afterAll(async () => {
	for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
	await stopQueueClient()
	await rm(exportRoot, { recursive: true, force: true })
})

beforeEach(async () => {
	await clearExportQueue()
})

function spawnWorker(script: string) {
	const child = spawn(process.execPath, ['--import', 'tsx', script], {
		env: { ...process.env, EXPORT_DIR: exportRoot, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	children.push(child)
	let stderr = ''
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
	const lines = createInterface({ input: child.stdout! })
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal })),
	)
	return { child, lines, exited, stderr: () => stderr }
}

/** The next stdout line that parses as JSON with a `paused` key, or a failure if the process exits first. */
function pausedLine(lines: ReturnType<typeof createInterface>, exited: Promise<unknown>, stderr: () => string) {
	return new Promise<{
		paused: string
		tempDirs: string[]
		progress: { recordsRead: number; recordsTotal: number | null }
	}>((resolve, reject) => {
		lines.on('line', (line) => {
			if (line.startsWith('{"paused"')) resolve(JSON.parse(line))
		})
		void exited.then(() => reject(new Error(`the worker exited before pausing: ${stderr()}`)))
	})
}

test('a worker killed with SIGKILL mid-export leaves no dataset, and the next worker retries it to completion', async () => {
	// 1,500 items judged twice: the export reads them in two batches, and the first worker dies after one.
	const { project, annotators } = await makeExportProject({ annotators: 2, items: 1_500 })
	await bulkJudgments({ projectId: project.id, annotators })
	const engineer = asSessionUser(await makeUser({ roles: ['engineer'] }))
	const { id } = await requestExport({
		slug: project.slug,
		user: engineer,
		input: { format: 'trl-preference', options: { dedupe: false, files: ['parquet', 'jsonl'] } },
	})

	const first = spawnWorker('tests/integration/helpers/pausing-worker.ts')
	const paused = await pausedLine(first.lines, first.exited, first.stderr)
	expect(paused.paused).toBe(id)
	// The total is counted beside the stream, so it may not be known yet when the first batch is out.
	expect(paused.progress.recordsRead).toBeGreaterThan(0)
	expect(paused.progress.recordsRead).toBeLessThan(3_000)
	expect([null, 3_000]).toContain(paused.progress.recordsTotal)
	expect(paused.tempDirs).toHaveLength(1)
	expect((await prisma.export.findUniqueOrThrow({ where: { id } })).status).toBe('running')

	first.child.kill('SIGKILL')
	expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
	expect(existsSync(path.join(exportRoot, id))).toBe(false)
	expect(existsSync(paused.tempDirs[0]!)).toBe(true)

	const second = spawnWorker('workers/index.ts')
	const row = await waitFor(
		async () => {
			const current = await prisma.export.findUniqueOrThrow({ where: { id } })
			if (current.status === 'failed') throw new Error(`the retried export failed: ${current.error}`)
			return current.status === 'succeeded' ? current : undefined
		},
		{ timeoutMs: 90_000, intervalMs: 250, what: 'the retried export to succeed' },
	)
	expect(row.rowsWritten).toBe(3_000)
	expect(await checksumMismatches({ dir: path.join(exportRoot, id), manifest: row.manifest as never })).toEqual([])
	expect((await readdir(exportRoot)).filter((name) => name.startsWith(id))).toEqual([id])
	const job = await prisma.$queryRawUnsafe<{ state: string; retry_count: number }[]>(
		'SELECT state::text, retry_count FROM pgboss.job WHERE id = $1::uuid',
		id,
	)
	expect(job[0]).toMatchObject({ state: 'completed', retry_count: 1 })

	second.child.kill('SIGTERM')
	expect(await second.exited).toEqual({ code: 0, signal: null })
}, 150_000)
