import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { stopQueueClient } from '#app/modules/jobs/enqueue.server.ts'
import { requestJudgeRun } from '#app/modules/judging/request-judge-run.server.ts'
import { createModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { shownResponses, startStubOpenAi, type StubOpenAi } from '#tests/helpers/stub-openai.ts'
import { waitFor } from '#tests/integration/helpers/wait.ts'

const children: ChildProcess[] = []
let stub: StubOpenAi

beforeAll(async () => {
	stub = await startStubOpenAi({ models: ['judge'] })
	// Each verdict takes a while, so the run is still going when the first worker is killed.
	stub.fallback = () => ({ kind: 'judge', mode: 'longer', delayMs: 100 })
	const [queue] = await prisma.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS exists`
	if (queue?.exists) await prisma.$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name = 'judge.run'`)
	await prisma.judgeRun.updateMany({
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
		env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', WORKER_QUEUES: 'judge.run' },
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

test('a worker killed with SIGKILL mid-run is retried; no stored (item, order) is asked again and every item gets one judgment', async () => {
	const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
	const items = 20
	const project = await makeProject({ items, input: { taskType: 'pairwise', overlap: 1 } })
	const judge = await createModelEndpoint({
		user: admin,
		input: {
			name: `judge-${Math.random().toString(36).slice(2, 7)}`,
			baseUrl: stub.baseUrl,
			model: 'judge',
			concurrency: 2,
		},
	})
	const run = await requestJudgeRun({ slug: project.slug, user: admin, input: { endpointId: judge.id } })
	const calls = items * 2

	const first = spawnWorker()
	await waitFor(
		async () => {
			if (first.child.exitCode !== null) throw new Error(`the worker exited: ${first.stderr()}`)
			const done = await prisma.judgeCall.count({ where: { runId: run.id, state: 'done' } })
			return done >= 8 ? done : undefined
		},
		{ timeoutMs: 60_000, intervalMs: 50, what: 'the first worker to store some verdicts' },
	)
	first.child.kill('SIGKILL')
	expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
	const storedBeforeRetry = await prisma.judgeCall.findMany({
		where: { runId: run.id, state: 'done' },
		select: { displayOrder: true, item: { select: { responses: { select: { key: true, content: true } } } } },
	})
	const doneAfterKill = storedBeforeRetry.length
	// What the judge was shown for each stored call: its responses' contents in display order.
	const stored = new Set(
		storedBeforeRetry.map((call) =>
			call.displayOrder.map((key) => call.item.responses.find((response) => response.key === key)!.content).join('\n'),
		),
	)
	const askedBeforeRetry = stub.requests.length
	const shownKey = (body: Record<string, unknown>) =>
		shownResponses(body)
			.map((response) => response.content)
			.join('\n')
	// Every stored call is recognised among the first worker's requests, so the check below can bite.
	const askedFirst = new Set(stub.requests.map((request) => shownKey(request.body)))
	expect([...stored].filter((key) => !askedFirst.has(key))).toEqual([])
	expect(doneAfterKill).toBeLessThan(calls)
	expect((await prisma.judgeRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('running')

	const second = spawnWorker()
	const finished = await waitFor(
		async () => {
			const current = await prisma.judgeRun.findUniqueOrThrow({ where: { id: run.id } })
			if (current.status === 'failed') throw new Error(`the retried run failed: ${current.error}`)
			return current.status === 'succeeded' ? current : undefined
		},
		{ timeoutMs: 90_000, intervalMs: 250, what: 'the retried judge run to succeed' },
	)
	expect(finished).toMatchObject({ tasksDone: calls, tasksFailed: 0, itemsJudged: items })
	// The retry asks the calls that were not stored when the first worker died, and none of those that were.
	const retried = stub.requests.slice(askedBeforeRetry)
	expect(retried.length).toBeGreaterThanOrEqual(calls - doneAfterKill)
	const askedAgain = retried.filter((request) => stored.has(shownKey(request.body)))
	expect(askedAgain).toEqual([])

	const judgments = await prisma.judgment.findMany({ where: { projectId: project.id, source: 'model' } })
	expect(judgments).toHaveLength(items)
	expect(judgments.every((judgment) => judgment.revision === 1 && !judgment.positionInconsistent)).toBe(true)
	expect(await prisma.judgmentRevision.count({ where: { judgmentId: { in: judgments.map((j) => j.id) } } })).toBe(items)
	const job = await prisma.$queryRawUnsafe<{ state: string; retry_count: number }[]>(
		'SELECT state::text, retry_count FROM pgboss.job WHERE id = $1::uuid',
		run.id,
	)
	expect(job[0]).toMatchObject({ state: 'completed', retry_count: 1 })

	second.child.kill('SIGTERM')
	expect(await second.exited).toEqual({ code: 0, signal: null })
}, 180_000)
