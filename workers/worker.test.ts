import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeEach, describe, expect, test } from 'vitest'
import { requestExport } from '#app/modules/exports/request-export.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { judgeAll, makeExportProject } from '#tests/factories/exports.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeUser } from '#tests/factories/users.ts'
import { checksumMismatches, clearExportQueue } from '#tests/integration/helpers/exports.ts'
import { waitFor } from '#tests/integration/helpers/wait.ts'
import { stopQueueClient } from '#app/modules/jobs/enqueue.server.ts'
import { exportBuildHooks } from '#app/modules/jobs/handlers/export-build.server.ts'
import { QUEUE_SCHEMA, createBoss, ensureQueues } from '#app/modules/jobs/queue.server.ts'
import { jobs } from '#app/modules/jobs/registry.ts'
import { startWorker } from './worker.ts'

const exportRoot = await mkdtemp(path.join(tmpdir(), 'quorum-worker-'))
process.env.EXPORT_DIR = exportRoot

afterAll(async () => {
	exportBuildHooks.afterBatch = undefined
	await stopQueueClient()
	await rm(exportRoot, { recursive: true, force: true })
})

beforeEach(async () => {
	await clearExportQueue()
})

async function queuedExport({ items = 4 } = {}) {
	const { project, annotators } = await makeExportProject({ annotators: 2, items })
	await judgeAll({ slug: project.slug, annotators })
	const engineer = asSessionUser(await makeUser({ roles: ['engineer'] }))
	const created = await requestExport({ slug: project.slug, user: engineer, input: { format: 'raw', options: {} } })
	return { project, exportId: created.id }
}

async function jobState(id: string) {
	const rows = await prisma.$queryRawUnsafe<{ state: string; retry_count: number }[]>(
		`SELECT state::text, retry_count FROM ${QUEUE_SCHEMA}.job WHERE id = $1::uuid`,
		id,
	)
	return rows[0]
}

const exportStatus = async (id: string) =>
	(await prisma.export.findUniqueOrThrow({ where: { id }, select: { status: true } })).status

describe('the worker', () => {
	test('every job in the registry has a payload of ids only and a handler', async () => {
		expect(Object.keys(jobs).sort()).toEqual([
			'analytics.refresh',
			'analytics.refresh-stale',
			'export.build',
			'exports.prune',
			'generate.responses',
			'judge.run',
			'limits.prune',
			'sessions.prune',
		])
		for (const definition of Object.values(jobs)) {
			expect(definition.id).toMatch(/^[a-z]+\.[a-z-]+$/)
			const module = await definition.load()
			expect(typeof module?.default).toBe('function')
		}
		expect(jobs['export.build'].payload.safeParse({ exportId: 'not-a-uuid' }).success).toBe(false)
		expect(
			jobs['export.build'].payload.safeParse({ exportId: '3f1c2d4e-0000-4000-8000-000000000000', extra: 1 }).success,
		).toBe(false)
	})

	test('builds a queued export and completes its job', async () => {
		const { exportId } = await queuedExport()
		const worker = await startWorker({ pollIntervalMs: 100, schedule: false })
		try {
			await waitFor(async () => (await exportStatus(exportId)) === 'succeeded', { what: 'the export to succeed' })
			await waitFor(async () => (await jobState(exportId))?.state === 'completed', { what: 'the job to complete' })
		} finally {
			await worker.stop({ graceMs: 5_000 })
		}
		const row = await prisma.export.findUniqueOrThrow({ where: { id: exportId } })
		expect(row).toMatchObject({ status: 'succeeded', progress: 1, rowsWritten: 8, path: exportId })
		expect(await checksumMismatches({ dir: path.join(exportRoot, exportId), manifest: row.manifest as never })).toEqual(
			[],
		)
	})

	test('on shutdown a job that does not finish within the grace period is handed back, leaving nothing on disk', async () => {
		const { exportId } = await queuedExport({ items: 6 })
		let paused!: () => void
		const reachedPause = new Promise<void>((resolve) => (paused = resolve))
		// The export stalls after its first batch until the worker gives up waiting and asks for it back.
		exportBuildHooks.afterBatch = async ({ signal }) => {
			paused()
			await new Promise((resolve) =>
				signal?.aborted ? resolve(null) : signal?.addEventListener('abort', resolve, { once: true }),
			)
		}
		const worker = await startWorker({ pollIntervalMs: 100, schedule: false, queues: ['export.build'] })
		try {
			await reachedPause
			expect(await exportStatus(exportId)).toBe('running')
			expect((await readdir(exportRoot)).filter((name) => name.startsWith(`${exportId}.tmp-`))).toHaveLength(1)
			await worker.stop({ graceMs: 200 })
		} finally {
			exportBuildHooks.afterBatch = undefined
		}
		expect(await jobState(exportId)).toMatchObject({ state: 'retry' })
		expect(await prisma.export.findUniqueOrThrow({ where: { id: exportId } })).toMatchObject({
			status: 'queued',
			progress: 0,
		})
		expect(await readdir(exportRoot)).not.toContainEqual(expect.stringContaining(exportId))
	})

	test('an export whose worker died (active job, lock free) is returned to the queue and then built', async () => {
		const { exportId } = await queuedExport()
		// Another "worker" fetches the job and marks the export running, then vanishes without a word.
		const ghost = createBoss({ connectionString: process.env.DATABASE_URL!, role: 'client' })
		await ghost.start()
		await ensureQueues(ghost)
		const [job] = await ghost.fetch('export.build')
		expect(job?.id).toBe(exportId)
		await ghost.stop({ graceful: false, wait: true })
		await prisma.export.update({ where: { id: exportId }, data: { status: 'running', startedAt: new Date() } })

		const worker = await startWorker({
			pollIntervalMs: 100,
			schedule: false,
			queues: ['export.build'],
			reapIntervalMs: 60_000,
		})
		try {
			// The worker looks for abandoned exports as it starts.
			await waitFor(async () => (await exportStatus(exportId)) !== 'running' || undefined, { what: 'the reaper' })
			expect(await jobState(exportId)).toMatchObject({ state: expect.stringMatching(/^(retry|active|completed)$/) })
			await waitFor(async () => (await exportStatus(exportId)) === 'succeeded', {
				what: 'the retried export',
				timeoutMs: 60_000,
			})
		} finally {
			await worker.stop({ graceMs: 5_000 })
		}
		expect(await jobState(exportId)).toMatchObject({ state: 'completed', retry_count: 1 })
	}, 90_000)
})
