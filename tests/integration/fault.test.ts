// Three app replicas and two workers on one Postgres, 30 annotators working over HTTP, and the
// faults a deployment meets: a replica killed and restarted, Postgres restarted, a worker killed
// in the middle of an export. No judgment may be lost or doubled, and the export must complete once.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createApiToken } from '#app/modules/auth/api-token.server.ts'
import { disconnectDb, prisma } from '#app/utils/db.server.ts'
import { migrate } from '#prisma/migrator.ts'
import { bulkJudgments, makeExportProject } from '#tests/factories/exports.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { checksumMismatches } from '#tests/integration/helpers/exports.ts'
import {
	appBuild,
	dedicatedPostgres,
	killAll,
	spawnQuorum,
	startApp,
	type QuorumProcess,
} from '#tests/integration/helpers/processes.ts'
import { waitFor } from '#tests/integration/helpers/wait.ts'

const ANNOTATORS = 30
const ITEMS = 200
const OVERLAP = 3
const EXPORT_ITEMS = 1_500
const EXPORT_ANNOTATORS = 2

let postgres: Awaited<ReturnType<typeof dedicatedPostgres>>
let exportRoot: string
const processes: QuorumProcess[] = []

beforeAll(async () => {
	postgres = await dedicatedPostgres()
	exportRoot = await mkdtemp(path.join(tmpdir(), 'quorum-fault-exports-'))
	await migrate({ connectionString: postgres.connectionString })
	await disconnectDb()
	process.env.DATABASE_URL = postgres.connectionString
	// About a minute on an idle two-core machine; the limit leaves room for a busy one.
}, 240_000)

afterAll(async () => {
	killAll(processes)
	await disconnectDb()
	await postgres?.destroy()
	if (exportRoot) await rm(exportRoot, { recursive: true, force: true })
})

type Replica = { url: string }

/** What a careful client does: a failed request (no answer, 5xx, 429) goes to the next replica, unchanged. */
async function callWithRetry(
	replicas: Replica[],
	first: number,
	path: string,
	init: { method: string; token: string; body?: string },
	stats: Map<string, number>,
) {
	for (let attempt = 0; attempt < 600; attempt++) {
		const replica = replicas[(first + attempt) % replicas.length]!
		let failure: string
		try {
			const res = await fetch(`${replica.url}${path}`, {
				method: init.method,
				headers: {
					Authorization: `Bearer ${init.token}`,
					...(init.body ? { 'Content-Type': 'application/json' } : {}),
				},
				body: init.body,
			})
			if (res.status < 500 && res.status !== 429) return res
			failure = String(res.status)
			if (res.status === 503) expect(res.headers.get('retry-after')).toBeTruthy()
			await res.body?.cancel()
		} catch {
			failure = 'network'
		}
		stats.set(failure, (stats.get(failure) ?? 0) + 1)
		// Backoff with jitter, shorter than Retry-After so the test stays quick.
		await new Promise((resolve) => setTimeout(resolve, Math.min(40 * (attempt + 1), 400) * (0.5 + Math.random())))
	}
	throw new Error(`${init.method} ${path} kept failing`)
}

test('no judgment is lost or doubled, and the export completes once, through replica, Postgres and worker failures', async () => {
	const stats = new Map<string, number>()
	const acknowledged = new Map<string, string>()
	let running = ANNOTATORS
	const t0 = Date.now()
	// FAULT_TEST_DEBUG=1 prints a timeline, for when the run is slow.
	const mark = (what: string) =>
		process.env.FAULT_TEST_DEBUG &&
		process.stderr.write(
			`[fault] ${((Date.now() - t0) / 1000).toFixed(1)}s ${what} acks=${acknowledged.size} running=${running} stats=${JSON.stringify([...stats])}\n`,
		)
	const buildDir = await appBuild()
	mark('built')
	const annotators = await Promise.all(Array.from({ length: ANNOTATORS }, () => makeUser({ roles: ['annotator'] })))
	const project = await makeProject({
		members: annotators,
		items: ITEMS,
		input: { overlap: OVERLAP, criteria: [], flags: [] },
	})
	const tokens = await Promise.all(
		annotators.map(async (annotator) => (await createApiToken({ userId: annotator.id, name: 'fault' })).token),
	)
	const exported = await makeExportProject({ annotators: EXPORT_ANNOTATORS, items: EXPORT_ITEMS })
	await bulkJudgments({ projectId: exported.project.id, annotators: exported.annotators })
	const engineer = await makeUser({ roles: ['engineer'] })
	const { token: engineerToken } = await createApiToken({ userId: engineer.id, name: 'fault' })
	mark('seeded')

	const env = { EXPORT_DIR: exportRoot }
	// Two workers; whichever takes the export first stalls half-way through it until it is killed.
	const workers = [0, 1].map(() =>
		spawnQuorum('tests/integration/helpers/stall-once-worker.ts', {
			DATABASE_URL: postgres.connectionString,
			STALL_MARKER: path.join(exportRoot, '.stalled'),
			...env,
		}),
	)
	processes.push(...workers)
	const apps = await Promise.all(
		[0, 1, 2].map(() => startApp({ databaseUrl: postgres.connectionString, buildDir, env })),
	)
	processes.push(...apps)
	await Promise.all(workers.map((worker) => worker.printed('ready', { timeoutMs: 60_000 })))
	mark('apps and workers up')
	const replicas: Replica[] = apps.map((app) => ({ url: app.url }))

	// Each client waits after its first judgment until the export has stalled, so the worker is
	// killed while annotators are at work however long the export takes to reach its first batch.
	let releaseClients!: () => void
	const exportStalled = new Promise<void>((resolve) => (releaseClients = resolve))
	const clients = Promise.all(
		tokens.map(async (token, a) => {
			try {
				for (let n = 0; ; n++) {
					const next = await callWithRetry(
						replicas,
						a,
						`/api/v1/projects/${project.slug}/assignments/next`,
						{ method: 'POST', token },
						stats,
					)
					if (next.status === 204) return
					expect(next.status).toBe(200)
					const { lease, item } = (await next.json()) as {
						lease: { id: string }
						item: { responses: { id: string }[] }
					}
					const [x, y] = item.responses.map((response) => response.id)
					const body = JSON.stringify({ ranking: [[x], [y]], strength: (a + n) % 4, idempotencyKey: `fault-${a}-${n}` })
					const submitted = await callWithRetry(
						replicas,
						a + n,
						`/api/v1/assignments/${lease.id}/judgment`,
						{ method: 'POST', token, body },
						stats,
					)
					expect([200, 201], await submitted.clone().text()).toContain(submitted.status)
					const { judgment } = (await submitted.json()) as { judgment: { id: string } }
					acknowledged.set(`fault-${a}-${n}`, judgment.id)
					if (n === 0) await exportStalled
				}
			} finally {
				running--
			}
		}),
	)
	const progress = (share: number) =>
		waitFor(async () => acknowledged.size >= share * ITEMS * OVERLAP, {
			timeoutMs: 90_000,
			intervalMs: 50,
			what: `${share * 100}% of the judgments`,
		})
	const faults: Record<string, { acknowledged: number; clientsRunning: number }> = {}
	const note = (fault: string) => {
		faults[fault] = { acknowledged: acknowledged.size, clientsRunning: running }
		mark(fault)
	}

	const choreography = (async () => {
		try {
			const requested = await callWithRetry(
				replicas,
				0,
				`/api/v1/projects/${exported.project.slug}/exports`,
				{
					method: 'POST',
					token: engineerToken,
					body: JSON.stringify({ format: 'trl-preference', options: { dedupe: false, files: ['parquet', 'jsonl'] } }),
				},
				stats,
			)
			expect(requested.status).toBe(202)
			const { id: exportId } = (await requested.json()) as { id: string }
			const stalled = await Promise.race(
				workers.map((worker) => worker.printed(`{"stalled":"${exportId}"`, { timeoutMs: 60_000 }).then(() => worker)),
			)
			releaseClients()
			note('worker killed mid-export')
			stalled.child.kill('SIGKILL')
			expect(await stalled.exited).toEqual({ code: null, signal: 'SIGKILL' })
			const survivor = workers.find((worker) => worker !== stalled)!

			await progress(0.2)
			note('postgres restarted')
			const unavailableBefore = stats.get('503') ?? 0
			await postgres.stop()
			await waitFor(async () => (stats.get('503') ?? 0) > unavailableBefore, {
				timeoutMs: 30_000,
				intervalMs: 20,
				what: 'clients to meet a 503',
			})
			await postgres.start()
			mark('postgres back')

			await progress(0.45)
			note('replica killed and restarted')
			apps[0]!.child.kill('SIGKILL')
			await apps[0]!.exited
			const restarted = await startApp({ databaseUrl: postgres.connectionString, buildDir, port: apps[0]!.port, env })
			processes.push(restarted)
			mark('replica back')
			return { exportId, survivor, restarted }
		} finally {
			// A failed step must not leave the clients waiting.
			releaseClients()
		}
	})()

	const [, { exportId, survivor, restarted }] = await Promise.all([clients, choreography])
	mark('clients done')
	// Every fault struck while annotators were still at work.
	for (const [fault, at] of Object.entries(faults)) {
		expect(at.clientsRunning, fault).toBeGreaterThan(0)
		expect(at.acknowledged, fault).toBeLessThan(ITEMS * OVERLAP)
	}
	expect(stats.get('503') ?? 0).toBeGreaterThan(0)
	expect(stats.get('500') ?? 0).toBe(0)

	const stored = await prisma.judgment.findMany({
		where: { projectId: project.id },
		select: { id: true, itemId: true, userId: true },
	})
	expect(stored).toHaveLength(ITEMS * OVERLAP)
	expect(new Set(stored.map((judgment) => `${judgment.itemId}:${judgment.userId}`)).size).toBe(ITEMS * OVERLAP)
	expect(new Set(stored.map((judgment) => judgment.id))).toEqual(new Set(acknowledged.values()))
	const perItem = await prisma.$queryRaw<{ judgments: number; items: number }[]>`
		SELECT n::int AS judgments, count(*)::int AS items FROM (
			SELECT i.id, count(j.id) AS n FROM items i LEFT JOIN judgments j ON j.item_id = i.id WHERE i.project_id = ${project.id}::uuid GROUP BY i.id
		) counts GROUP BY n`
	expect(perItem).toEqual([{ judgments: OVERLAP, items: ITEMS }])
	expect(await prisma.item.count({ where: { projectId: project.id, judgmentCount: { not: OVERLAP } } })).toBe(0)

	const row = await waitFor(
		async () => {
			const current = await prisma.export.findUniqueOrThrow({ where: { id: exportId } })
			return current.status === 'succeeded' ? current : undefined
		},
		{ timeoutMs: 60_000, intervalMs: 250, what: 'the export to succeed after its worker died' },
	)
	mark('export done')
	expect(row.rowsWritten).toBe(EXPORT_ITEMS * EXPORT_ANNOTATORS)
	expect(await prisma.export.count({ where: { projectId: exported.project.id } })).toBe(1)
	expect(await checksumMismatches({ dir: path.join(exportRoot, exportId), manifest: row.manifest as never })).toEqual(
		[],
	)
	expect((await readdir(exportRoot)).filter((name) => name.startsWith(exportId))).toEqual([exportId])
	const [job] = await prisma.$queryRawUnsafe<{ state: string; retry_count: number }[]>(
		'SELECT state::text, retry_count FROM pgboss.job WHERE id = $1::uuid',
		exportId,
	)
	expect(job).toMatchObject({ state: 'completed' })
	expect(job!.retry_count).toBeGreaterThanOrEqual(1)

	expect((await fetch(`${restarted.url}/readyz`)).status).toBe(200)
	for (const process of [apps[1]!, apps[2]!, restarted, survivor]) {
		expect(process.alive()).toBe(true)
		expect(process.output()).not.toMatch(/unhandled|"level":"error"/)
	}
	// About a minute on an idle two-core machine; the limit leaves room for a busy one.
}, 240_000)
