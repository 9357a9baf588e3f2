import type { TaskType } from '#app/generated/prisma/enums.ts'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { requestGeneration } from '#app/modules/generations/request-generation.server.ts'
import { runGeneration } from '#app/modules/generations/run-generation.server.ts'
import { createModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import { listItems } from '#app/modules/projects/list-items.server.ts'
import { getProjectCounts } from '#app/modules/projects/project-stats.server.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { updateProject } from '#app/modules/projects/update-project.server.ts'
import { action as generationAction, loader as generationLoader } from '#app/routes/api/generation.ts'
import { action as generationsAction } from '#app/routes/api/project-generations.ts'
import { loader as itemsLoader } from '#app/routes/api/project-items.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createLogger } from '#app/utils/logger.server.ts'
import { importText, jsonl } from '#tests/factories/imports.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUser, makeUserWithToken } from '#tests/factories/users.ts'
import { startStubOpenAi, type StubBehaviour, type StubOpenAi } from '#tests/helpers/stub-openai.ts'

let stub: StubOpenAi
let admin: Awaited<ReturnType<typeof makeUserWithToken>>
const log = createLogger({ component: 'test' })
const fast = { attempts: 3, baseDelayMs: 10, maxDelayMs: 1_500 }
let counter = 0

beforeAll(async () => {
	stub = await startStubOpenAi({ models: ['alpha-7b', 'beta-7b'] })
	admin = await makeUserWithToken({ roles: ['admin'] })
})
beforeEach(() => {
	stub.requests.length = 0
	stub.fallback = () => ({ kind: 'answer' })
})
afterAll(async () => {
	await stub.close()
})

async function endpoint(model: string, extra: Record<string, unknown> = {}) {
	return createModelEndpoint({
		user: asSessionUser(admin.user),
		input: { name: `${model}-${++counter}`, baseUrl: stub.baseUrl, model, concurrency: 3, ...extra },
	})
}

async function projectWithPrompts({
	lines,
	taskType = 'pairwise' as TaskType,
	generation,
}: {
	lines: unknown[]
	taskType?: TaskType
	generation?: Record<string, unknown>
}) {
	const annotator = await makeUser({ roles: ['annotator'] })
	const project = await makeProject({ members: [{ id: annotator.id }], input: { taskType, overlap: 1 } })
	if (generation) {
		const updated = await updateProject({ slug: project.slug, user: asSessionUser(admin.user), input: { generation } })
		expect(serializeProject(updated).generation).toMatchObject(generation)
	}
	const report = await importText({ slug: project.slug, user: asSessionUser(admin.user), data: jsonl(...lines) })
	expect(report.errors).toEqual([])
	return { project, annotator: asSessionUser(annotator) }
}

async function generate({
	slug,
	input,
	retryPolicy = fast,
}: {
	slug: string
	input: unknown
	retryPolicy?: typeof fast
}) {
	const run = await requestGeneration({ slug, user: asSessionUser(admin.user), input })
	const result = await runGeneration({ runId: run.id, log, retryPolicy, cancelPollMs: 50 })
	return { run, result }
}

const responsesOf = (projectId: string) =>
	prisma.response.findMany({
		where: { item: { projectId } },
		orderBy: [{ item: { externalId: 'asc' } }, { position: 'asc' }],
		include: { item: { select: { externalId: true } } },
	})

describe('items that wait for responses', () => {
	test('prompt-only items are listed as waiting, never claimed, and open once generated', async () => {
		const { project, annotator } = await projectWithPrompts({
			lines: [
				{ id: 'p1', prompt: 'Write a haiku about rain.' },
				{
					id: 'm1',
					messages: [
						{ role: 'system', content: 'Answer in French.' },
						{ role: 'user', content: 'Hello?' },
						{ role: 'assistant', content: 'Bonjour.' },
						{ role: 'user', content: 'Your name?' },
					],
				},
			],
		})
		expect(await claimNext({ slug: project.slug, user: annotator })).toBeNull()
		const listed = await listItems({
			projectId: project.id,
			query: { page: 1, pageSize: 50, sort: 'seq', dir: 'asc' } as never,
		})
		expect(listed.items.map((item) => item.status)).toEqual(['waiting', 'waiting'])
		expect(await getProjectCounts({ projectId: project.id, overlap: 1 })).toMatchObject({
			waitingCount: 2,
			completeCount: 0,
			openCount: 0,
		})

		const a = await endpoint('alpha-7b', { params: { temperature: 0.3, max_tokens: 200 } })
		const b = await endpoint('beta-7b')
		const { result } = await generate({
			slug: project.slug,
			input: { endpoints: [{ id: a.id }, { id: b.name }], system: 'Be concise.' },
		})
		expect(result).toMatchObject({ status: 'succeeded', done: 4, failed: 0 })

		const bodies = stub.requests.map((request) => request.body)
		expect(bodies).toHaveLength(4)
		const multiTurn = bodies.find((body) => JSON.stringify(body.messages).includes('Your name?'))!
		// The run's system prompt replaces the item's own system turn; the rest are sent as chat turns.
		expect(multiTurn.messages).toEqual([
			{ role: 'system', content: 'Be concise.' },
			{ role: 'user', content: 'Hello?' },
			{ role: 'assistant', content: 'Bonjour.' },
			{ role: 'user', content: 'Your name?' },
		])
		expect(
			bodies
				.filter((body) => body.model === 'alpha-7b')
				.every((body) => body.temperature === 0.3 && body.max_tokens === 200),
		).toBe(true)

		const responses = await responsesOf(project.id)
		expect(responses.map((response) => [response.item.externalId, response.position, response.model])).toEqual([
			['m1', 0, 'alpha-7b'],
			['m1', 1, 'beta-7b'],
			['p1', 0, 'alpha-7b'],
			['p1', 1, 'beta-7b'],
		])
		expect(responses[0]!.metadata).toMatchObject({
			generation: {
				endpoint: a.name,
				model: 'alpha-7b',
				params: { temperature: 0.3, max_tokens: 200, system: 'Be concise.' },
				finishReason: 'stop',
				usage: { promptTokens: 12 },
			},
		})
		expect(
			(responses[0]!.metadata as { generation: { latencyMs: number } }).generation.latencyMs,
		).toBeGreaterThanOrEqual(0)

		const after = await listItems({
			projectId: project.id,
			query: { page: 1, pageSize: 50, sort: 'seq', dir: 'asc' } as never,
		})
		expect(after.items.map((item) => item.status)).toEqual(['open', 'open'])
		const api = await callRoute(
			itemsLoader,
			apiRequest(`/api/v1/projects/${project.slug}/items`, { token: admin.token }),
			{ slug: project.slug },
		)
		const page = (await api.json()) as {
			items: { externalId: string; status: string; responses: { model: string }[] }[]
		}
		expect(
			page.items.map((item) => [item.externalId, item.status, item.responses.map((response) => response.model)]),
		).toEqual([
			['p1', 'open', ['alpha-7b', 'beta-7b']],
			['m1', 'open', ['alpha-7b', 'beta-7b']],
		])
		expect(await claimNext({ slug: project.slug, user: annotator })).not.toBeNull()
	})

	test('a ranking project waits for its K responses; samples come from one endpoint', async () => {
		const { project, annotator } = await projectWithPrompts({
			lines: [{ id: 'r1', prompt: 'Rank these.', responses: [{ content: 'An imported answer.' }] }],
			taskType: 'ranking',
			generation: { responsesPerItem: 4 },
		})
		expect(await claimNext({ slug: project.slug, user: annotator })).toBeNull()
		const a = await endpoint('alpha-7b')
		const { result } = await generate({
			slug: project.slug,
			input: { endpoints: [{ id: a.id, samples: 3, params: { temperature: 1 } }] },
		})
		expect(result).toMatchObject({ status: 'succeeded', done: 3 })
		const responses = await responsesOf(project.id)
		expect(responses.map((response) => response.key)).toEqual(['r1', `${a.name}#1`, `${a.name}#2`, `${a.name}#3`])
		const assignment = await claimNext({ slug: project.slug, user: annotator })
		expect(assignment?.item.responses).toHaveLength(4)
	})

	test('a metadata filter picks the items', async () => {
		const { project } = await projectWithPrompts({
			lines: [
				{ id: 'x1', prompt: 'One', metadata: { split: 'eval' } },
				{ id: 'x2', prompt: 'Two', metadata: { split: 'train' } },
			],
		})
		const a = await endpoint('alpha-7b')
		const b = await endpoint('beta-7b')
		await generate({
			slug: project.slug,
			input: { endpoints: [{ id: a.id }, { id: b.id }], items: { filter: { metadata: { split: 'eval' } } } },
		})
		const items = await prisma.item.findMany({
			where: { projectId: project.id },
			orderBy: { externalId: 'asc' },
			select: { externalId: true, awaitingResponses: true },
		})
		expect(items).toEqual([
			{ externalId: 'x1', awaitingResponses: false },
			{ externalId: 'x2', awaitingResponses: true },
		])
	})
})

describe('what a generation stores and how it recovers', () => {
	test('reasoning is kept, inline or separate, and shown as a leading think block', async () => {
		const { project } = await projectWithPrompts({ lines: [{ id: 'q', prompt: 'Why?' }] })
		stub.script(
			{ kind: 'answer', content: 'Because of physics.', reasoning: 'Consider light.', inlineThink: true },
			{ kind: 'answer', content: 'Because of chemistry.', reasoning: 'Consider molecules.' },
		)
		const a = await endpoint('alpha-7b', { concurrency: 1 })
		await generate({ slug: project.slug, input: { endpoints: [{ id: a.id, samples: 2 }] } })
		const tasks = await prisma.generationTask.findMany({
			where: { item: { projectId: project.id } },
			orderBy: { sampleIndex: 'asc' },
		})
		expect(tasks.map((task) => task.reasoning)).toEqual(['Consider light.', 'Consider molecules.'])
		const responses = await responsesOf(project.id)
		expect(responses.map((response) => response.content)).toEqual([
			'<think>\nConsider light.\n</think>\n\nBecause of physics.',
			'<think>\nConsider molecules.\n</think>\n\nBecause of chemistry.',
		])
	})

	test('429, 500, hangs and malformed answers are retried; a lasting failure is recorded per item and shown', async () => {
		const { project } = await projectWithPrompts({
			lines: [
				{ id: 'ok', prompt: 'A' },
				{ id: 'bad', prompt: 'B' },
			],
		})
		// Each model's failures go to its own calls for "A": alpha is rate-limited once; beta hangs past
		// the timeout, then answers malformed JSON. "B" fails on every call.
		const callsForA = new Map<string, number>()
		const failuresForA: Record<string, StubBehaviour[]> = {
			'alpha-7b': [{ kind: 'rate-limit', retryAfterSeconds: 1 }],
			'beta-7b': [{ kind: 'hang' }, { kind: 'malformed' }],
		}
		stub.fallback = (request) => {
			if (JSON.stringify(request.body.messages).includes('"B"')) return { kind: 'error', status: 503 }
			const model = String(request.body.model)
			const call = callsForA.get(model) ?? 0
			callsForA.set(model, call + 1)
			return failuresForA[model]?.[call] ?? { kind: 'answer' }
		}
		const a = await endpoint('alpha-7b', { concurrency: 1, timeoutSeconds: 1 })
		const b = await endpoint('beta-7b', { concurrency: 1, timeoutSeconds: 1 })
		// One attempt to spare, so that a slow answer on a loaded machine cannot use up beta's last.
		const { run, result } = await generate({
			slug: project.slug,
			input: { endpoints: [{ id: a.id }, { id: b.id }] },
			retryPolicy: { ...fast, attempts: 4 },
		})
		// Every scripted failure was met and retried past.
		expect(callsForA.get('alpha-7b')).toBeGreaterThanOrEqual(2)
		expect(callsForA.get('beta-7b')).toBeGreaterThanOrEqual(3)
		expect(result).toMatchObject({ status: 'succeeded', done: 2, failed: 2 })
		const status = await callRoute(
			generationLoader,
			apiRequest(`/api/v1/generations/${run.id}`, { token: admin.token }),
			{ id: run.id },
		)
		const body = (await status.json()) as {
			status: string
			progress: number
			counts: Record<string, number>
			errors: { externalId: string; endpoint: string; message: string }[]
		}
		expect(body).toMatchObject({
			status: 'succeeded',
			progress: 1,
			counts: { items: 2, tasks: 4, done: 2, failed: 2, pending: 0, itemsOpened: 1 },
		})
		expect(body.errors.map((error) => [error.externalId, error.message])).toEqual([
			['bad', expect.stringMatching(/^The server answered 503/)],
			['bad', expect.stringMatching(/^The server answered 503/)],
		])
		const items = await prisma.item.findMany({
			where: { projectId: project.id },
			orderBy: { externalId: 'asc' },
			select: { externalId: true, awaitingResponses: true, generationIssue: true },
		})
		expect(items).toEqual([
			{ externalId: 'bad', awaitingResponses: true, generationIssue: 'too-few-responses' },
			{ externalId: 'ok', awaitingResponses: false, generationIssue: null },
		])
	}, 20_000)

	test('near-duplicates are regenerated; copies that stay copies leave the item closed and marked', async () => {
		const { project, annotator } = await projectWithPrompts({
			lines: [{ id: 'd1', prompt: 'Say hi.' }],
			generation: { maxRegenerations: 2 },
		})
		const a = await endpoint('alpha-7b', { concurrency: 1 })
		stub.script(
			{ kind: 'answer', content: 'Hello there!' },
			{ kind: 'answer', content: 'hello   THERE!' },
			{ kind: 'answer', content: 'Greetings, friend, how are you today?' },
		)
		await generate({ slug: project.slug, input: { endpoints: [{ id: a.id, samples: 2 }] } })
		expect(stub.requests).toHaveLength(3)
		const responses = await responsesOf(project.id)
		expect(responses.map((response) => response.content)).toEqual([
			'Hello there!',
			'Greetings, friend, how are you today?',
		])
		expect(responses[1]!.metadata).toMatchObject({ generation: { regenerations: 1 } })
		expect(await claimNext({ slug: project.slug, user: annotator })).not.toBeNull()

		const copies = await projectWithPrompts({
			lines: [{ id: 'd2', prompt: 'Say hi.' }],
			generation: { maxRegenerations: 2 },
		})
		stub.fallback = () => ({ kind: 'answer', content: 'Always the same.' })
		await generate({ slug: copies.project.slug, input: { endpoints: [{ id: a.id, samples: 2 }] } })
		expect(stub.requests).toHaveLength(3 + 4)
		expect(
			await prisma.item.findFirstOrThrow({
				where: { projectId: copies.project.id },
				select: { isOpen: true, generationIssue: true },
			}),
		).toEqual({ isOpen: false, generationIssue: 'duplicate-responses' })
		expect(await claimNext({ slug: copies.project.slug, user: copies.annotator })).toBeNull()
		// A new overlap does not reopen it.
		await updateProject({ slug: copies.project.slug, user: asSessionUser(admin.user), input: { overlap: 4 } })
		expect(await claimNext({ slug: copies.project.slug, user: copies.annotator })).toBeNull()
	})

	test('finish_reason length is marked, and regenerated when the project says so', async () => {
		const serve = await projectWithPrompts({ lines: [{ id: 'l1', prompt: 'Long story.' }] })
		const a = await endpoint('alpha-7b', { concurrency: 1 })
		stub.script({ kind: 'answer', content: 'Once upon a', finishReason: 'length' })
		await generate({ slug: serve.project.slug, input: { endpoints: [{ id: a.id, samples: 2 }] } })
		const served = await responsesOf(serve.project.id)
		expect(
			served.map(
				(response) => (response.metadata as { generation: { truncated?: boolean } }).generation.truncated ?? false,
			),
		).toEqual([true, false])

		const regenerate = await projectWithPrompts({
			lines: [{ id: 'l2', prompt: 'Long story.' }],
			generation: { truncated: 'regenerate' },
		})
		stub.requests.length = 0
		stub.script({ kind: 'answer', content: 'Once upon a', finishReason: 'length' })
		await generate({ slug: regenerate.project.slug, input: { endpoints: [{ id: a.id, samples: 2 }] } })
		expect(stub.requests).toHaveLength(3)
		const regenerated = await responsesOf(regenerate.project.id)
		expect(
			regenerated.every(
				(response) =>
					(response.metadata as { generation: { finishReason: string } }).generation.finishReason === 'stop',
			),
		).toBe(true)
	})

	test('a retried run generates only what is missing', async () => {
		const { project } = await projectWithPrompts({
			lines: [
				{ id: 'i1', prompt: 'One' },
				{ id: 'i2', prompt: 'Two' },
			],
		})
		const a = await endpoint('alpha-7b')
		const b = await endpoint('beta-7b')
		const run = await requestGeneration({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { endpoints: [{ id: a.id }, { id: b.id }] },
		})
		const stopAfterOne = new AbortController()
		await expect(
			runGeneration({
				runId: run.id,
				log,
				retryPolicy: fast,
				signal: stopAfterOne.signal,
				hooks: { afterSample: async () => stopAfterOne.abort() },
			}),
		).rejects.toThrow(/shutting down/)
		const firstPass = stub.requests.length
		expect(firstPass).toBeGreaterThanOrEqual(1)
		const storedBefore = await prisma.generationTask.count({ where: { runId: run.id, state: 'done' } })
		expect(storedBefore).toBeGreaterThanOrEqual(1)
		expect(await runGeneration({ runId: run.id, log, retryPolicy: fast })).toMatchObject({
			status: 'succeeded',
			done: 4,
		})
		expect(stub.requests.length - firstPass).toBe(4 - storedBefore)
		expect(await prisma.response.count({ where: { item: { projectId: project.id } } })).toBe(4)
	})
})

describe('generations API', () => {
	test('202 with the queued run; annotators 403; unknown endpoints 422; DELETE cancels', async () => {
		const { project } = await projectWithPrompts({ lines: [{ id: 'a1', prompt: 'Hi' }] })
		const a = await endpoint('alpha-7b')
		const annotator = await makeUserWithToken({ roles: ['annotator'] })
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		const post = (token: string, body: unknown) =>
			callRoute(
				generationsAction,
				apiRequest(`/api/v1/projects/${project.slug}/generations`, { token, method: 'POST', body }),
				{ slug: project.slug },
			)

		expect((await post(annotator.token, { endpoints: [{ id: a.id }] })).status).toBe(403)
		const bad = await post(engineer.token, { endpoints: [{ id: 'nope' }, { id: a.id, samples: 0 }] })
		expect(bad.status).toBe(422)
		expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((error) => error.path)).toEqual([
			'endpoints[1].samples',
		])
		const unknown = await post(engineer.token, { endpoints: [{ id: 'nope' }] })
		expect(((await unknown.json()) as { errors: { path: string; message: string }[] }).errors[0]).toMatchObject({
			path: 'endpoints[0].id',
			message: expect.stringContaining('no endpoint "nope"'),
		})

		const created = await post(engineer.token, { endpoints: [{ id: a.name, samples: 2 }] })
		expect(created.status).toBe(202)
		const run = (await created.json()) as { id: string; status: string }
		expect(run.status).toBe('queued')
		expect(created.headers.get('Location')).toBe(`/api/v1/generations/${run.id}`)

		const cancelled = await callRoute(
			generationAction,
			apiRequest(`/api/v1/generations/${run.id}`, { token: engineer.token, method: 'DELETE' }),
			{ id: run.id },
		)
		expect(await cancelled.json()).toMatchObject({ status: 'cancelled' })
		expect(await runGeneration({ runId: run.id, log })).toEqual({ status: 'skipped' })
		expect(stub.requests).toHaveLength(0)
	})

	test('a run cancelled while running stops calling the model', async () => {
		const { project } = await projectWithPrompts({
			lines: Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, prompt: `Prompt ${i}` })),
		})
		const a = await endpoint('alpha-7b', { concurrency: 1 })
		stub.fallback = () => ({ kind: 'answer' })
		const run = await requestGeneration({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { endpoints: [{ id: a.id, samples: 2 }] },
		})
		let stored = 0
		const running = runGeneration({
			runId: run.id,
			log,
			cancelPollMs: 20,
			hooks: {
				afterSample: async () => {
					if (++stored !== 3) return
					// From here the model never answers: only the cancel can end the run.
					stub.fallback = () => ({ kind: 'hang' })
					await callRoute(
						generationAction,
						apiRequest(`/api/v1/generations/${run.id}`, { token: admin.token, method: 'DELETE' }),
						{ id: run.id },
					)
				},
			},
		})
		expect(await running).toEqual({ status: 'cancelled' })
		const row = await prisma.generationRun.findUniqueOrThrow({ where: { id: run.id } })
		expect(row.status).toBe('cancelled')
		expect(stub.requests.length).toBeLessThan(60)
	})
})
