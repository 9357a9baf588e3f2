import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { requestGeneration } from '#app/modules/generations/request-generation.server.ts'
import { stopQueueClient } from '#app/modules/jobs/enqueue.server.ts'
import { createModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { importText, jsonl } from '#tests/factories/imports.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { startStubOpenAi, type StubOpenAi } from '#tests/helpers/stub-openai.ts'
import { waitFor } from '#tests/integration/helpers/wait.ts'

const children: ChildProcess[] = []
let stub: StubOpenAi

beforeAll(async () => {
	stub = await startStubOpenAi({ models: ['alpha', 'beta'] })
	// Each answer takes a while, so the run is still going when the first worker is killed.
	stub.fallback = () => ({ kind: 'answer', delayMs: 100 })
	const [queue] = await prisma.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS exists`
	if (queue?.exists) await prisma.$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name = 'generate.responses'`)
	await prisma.generationRun.updateMany({
		where: { status: { in: ['queued', 'running'] } },
		data: { status: 'cancelled', cancelledAt: new Date() },
	})
})

afterAll(async () => {
	for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
	await stopQueueClient()
	await stub.close()
})

function spawnWorker() {
	const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
		env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', WORKER_QUEUES: 'generate.responses' },
		stdio: ['ignore', 'ignore', 'pipe'],
	})
	children.push(child)
	let stderr = ''
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal })),
	)
	return { child, exited, stderr: () => stderr }
}

test('a worker killed with SIGKILL mid-generation is retried, and every (item, endpoint, sample) gets exactly one response', async () => {
	const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
	const project = await makeProject({ input: { taskType: 'ranking', overlap: 1 } })
	await prisma.project.update({ where: { id: project.id }, data: { generation: { responsesPerItem: 4 } } })
	const items = 30
	const report = await importText({
		slug: project.slug,
		user: admin,
		data: jsonl(...Array.from({ length: items }, (_, i) => ({ id: `p${i}`, prompt: `Prompt number ${i}` }))),
	})
	expect(report.errors).toEqual([])
	const suffix = Math.random().toString(36).slice(2, 7)
	const alpha = await createModelEndpoint({
		user: admin,
		input: { name: `alpha-${suffix}`, baseUrl: stub.baseUrl, model: 'alpha', concurrency: 2 },
	})
	const beta = await createModelEndpoint({
		user: admin,
		input: { name: `beta-${suffix}`, baseUrl: stub.baseUrl, model: 'beta', concurrency: 2 },
	})
	const run = await requestGeneration({
		slug: project.slug,
		user: admin,
		input: {
			endpoints: [
				{ id: alpha.id, samples: 2 },
				{ id: beta.id, samples: 2 },
			],
		},
	})
	const expected = items * 4

	const first = spawnWorker()
	const doneAtKill = await waitFor(
		async () => {
			if (first.child.exitCode !== null) throw new Error(`the worker exited: ${first.stderr()}`)
			const done = await prisma.generationTask.count({ where: { runId: run.id, state: 'done' } })
			return done >= 10 ? done : undefined
		},
		{ timeoutMs: 60_000, intervalMs: 50, what: 'the first worker to store some samples' },
	)
	first.child.kill('SIGKILL')
	expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
	const doneAfterKill = await prisma.generationTask.count({ where: { runId: run.id, state: 'done' } })
	expect(doneAfterKill).toBeGreaterThanOrEqual(doneAtKill)
	expect(doneAfterKill).toBeLessThan(expected)
	expect((await prisma.generationRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('running')

	const second = spawnWorker()
	const finished = await waitFor(
		async () => {
			const current = await prisma.generationRun.findUniqueOrThrow({ where: { id: run.id } })
			if (current.status === 'failed') throw new Error(`the retried run failed: ${current.error}`)
			return current.status === 'succeeded' ? current : undefined
		},
		{ timeoutMs: 90_000, intervalMs: 250, what: 'the retried generation to succeed' },
	)
	expect(finished).toMatchObject({ tasksDone: expected, tasksFailed: 0 })

	const responses = await prisma.response.findMany({
		where: { item: { projectId: project.id } },
		select: { itemId: true, metadata: true },
	})
	expect(responses).toHaveLength(expected)
	const slots = responses.map(({ itemId, metadata }) => {
		const generation = (metadata as { generation: { endpointId: string; sample: number } }).generation
		return `${itemId}/${generation.endpointId}/${generation.sample}`
	})
	expect(new Set(slots).size).toBe(expected)
	expect(await prisma.item.count({ where: { projectId: project.id, awaitingResponses: false, isOpen: true } })).toBe(
		items,
	)
	const job = await prisma.$queryRawUnsafe<{ state: string; retry_count: number }[]>(
		'SELECT state::text, retry_count FROM pgboss.job WHERE id = $1::uuid',
		run.id,
	)
	expect(job[0]).toMatchObject({ state: 'completed', retry_count: 1 })

	second.child.kill('SIGTERM')
	expect(await second.exited).toEqual({ code: 0, signal: null })
}, 180_000)
