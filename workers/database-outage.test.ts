import { afterAll, beforeAll, expect, test } from 'vitest'
import { disconnectDb, prisma } from '#app/utils/db.server.ts'
import { migrate } from '#prisma/migrator.ts'
import {
	dedicatedPostgres,
	killAll,
	startWorkerProcess,
	type QuorumProcess,
} from '#tests/integration/helpers/processes.ts'
import { waitFor } from '#tests/integration/helpers/wait.ts'
import { enqueue, stopQueueClient } from '#app/modules/jobs/enqueue.server.ts'

let postgres: Awaited<ReturnType<typeof dedicatedPostgres>>
const processes: QuorumProcess[] = []

beforeAll(async () => {
	postgres = await dedicatedPostgres()
	await migrate({ connectionString: postgres.connectionString })
	await disconnectDb()
	process.env.DATABASE_URL = postgres.connectionString
}, 120_000)

afterAll(async () => {
	killAll(processes)
	await stopQueueClient().catch(() => {})
	await disconnectDb()
	await postgres?.destroy()
})

const jobState = async (id: string) =>
	(await prisma.$queryRawUnsafe<{ state: string }[]>('SELECT state::text FROM pgboss.job WHERE id = $1::uuid', id))[0]
		?.state

test('a worker survives a Postgres restart and completes a job enqueued after it', async () => {
	const worker = startWorkerProcess({
		databaseUrl: postgres.connectionString,
		env: { WORKER_QUEUES: 'sessions.prune', LOG_LEVEL: 'info' },
	})
	processes.push(worker)
	await worker.printed('worker started', { timeoutMs: 60_000 })
	const before = await enqueue({ job: 'sessions.prune', payload: {} })
	await waitFor(async () => (await jobState(before!)) === 'completed', {
		timeoutMs: 30_000,
		what: 'the first job to complete',
	})
	await stopQueueClient()
	await disconnectDb()

	await postgres.stop()
	// The worker notices: its idle connections are cut and its next poll is refused.
	await worker.printed('database unavailable', { timeoutMs: 30_000 })
	expect(worker.alive()).toBe(true)

	await postgres.start()
	const after = await enqueue({ job: 'sessions.prune', payload: {} })
	await waitFor(async () => (await jobState(after!)) === 'completed', {
		timeoutMs: 30_000,
		intervalMs: 200,
		what: 'the job enqueued after the restart to complete',
	})
	expect(worker.alive()).toBe(true)
	expect(worker.output()).not.toMatch(/"level":"error"/)

	worker.child.kill('SIGTERM')
	expect(await worker.exited).toEqual({ code: 0, signal: null })
}, 120_000)
