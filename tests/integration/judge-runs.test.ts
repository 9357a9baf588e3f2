import type { TaskType } from '#app/generated/prisma/enums.ts'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import judgeRunHandler, { judgeRunHooks } from '#app/modules/jobs/handlers/judge-run.server.ts'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import { requestJudgeRun } from '#app/modules/judging/request-judge-run.server.ts'
import { runJudge } from '#app/modules/judging/run-judge.server.ts'
import { createModelEndpoint, deleteModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import { updateProject } from '#app/modules/projects/update-project.server.ts'
import { action as judgeRunAction, loader as judgeRunLoader } from '#app/routes/api/judge-run.ts'
import { action as judgeRunsAction } from '#app/routes/api/project-judge-runs.ts'
import { loader as projectLoader } from '#app/routes/api/project.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createLogger } from '#app/utils/logger.server.ts'
import { importText, jsonl } from '#tests/factories/imports.ts'
import { asSessionUser, judgeNext, mayStillClaim } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUser, makeUserWithToken } from '#tests/factories/users.ts'
import { shownResponses, startStubOpenAi, type StubBehaviour, type StubOpenAi } from '#tests/helpers/stub-openai.ts'

let stub: StubOpenAi
let admin: Awaited<ReturnType<typeof makeUserWithToken>>
const log = createLogger({ component: 'test' })
const fast = { attempts: 3, baseDelayMs: 10, maxDelayMs: 200 }
let counter = 0

beforeAll(async () => {
	stub = await startStubOpenAi({ models: ['judge-7b'] })
	admin = await makeUserWithToken({ roles: ['admin'] })
})
beforeEach(() => {
	stub.requests.length = 0
	stub.rejectResponseFormat = false
	stub.fallback = () => ({ kind: 'judge', mode: 'first' })
})
afterAll(async () => {
	await stub.close()
})

async function endpoint(extra: Record<string, unknown> = {}) {
	return createModelEndpoint({
		user: asSessionUser(admin.user),
		input: { name: `Judge ${++counter}`, baseUrl: stub.baseUrl, model: 'judge-7b', concurrency: 2, ...extra },
	})
}

/** Items whose responses differ in length, with "[better]" planted in one response chosen per item. */
async function projectWithItems({
	count = 4,
	taskType = 'pairwise' as TaskType,
	overlap = 1 as number | Record<string, unknown>,
	members = [] as { id: string }[],
}: {
	count?: number
	taskType?: TaskType
	overlap?: number | Record<string, unknown>
	members?: { id: string }[]
} = {}) {
	const project = await makeProject({ members, input: { taskType, overlap } as never })
	const size = taskType === 'ranking' ? 3 : 2
	const lines = Array.from({ length: count }, (_, i) => ({
		id: `q${i + 1}`,
		prompt: `Question ${i + 1}`,
		responses: Array.from({ length: size }, (_, r) => ({
			id: `r${r + 1}`,
			model: `m${r + 1}`,
			// r1 is always the longest; the marker sits in r1 on even items and in the last response on odd ones.
			content: `${'Answer '.repeat(size - r)}${r + 1} to ${i + 1}${(i % 2 === 0 ? r === 0 : r === size - 1) ? ' [better]' : ''}`,
		})),
	}))
	const report = await importText({ slug: project.slug, user: asSessionUser(admin.user), data: jsonl(...lines) })
	expect(report.errors).toEqual([])
	return project
}

async function judgeRun({ slug, endpointId, template }: { slug: string; endpointId: string; template?: string }) {
	const run = await requestJudgeRun({
		slug,
		user: asSessionUser(admin.user),
		input: { endpointId, ...(template ? { template } : {}) },
	})
	const result = await runJudge({ runId: run.id, log, retryPolicy: fast, cancelPollMs: 50 })
	return { run, result }
}

const judgmentsOf = (projectId: string) =>
	prisma.judgment.findMany({
		where: { projectId, source: 'model' },
		include: { item: { select: { externalId: true } }, revisions: true },
		orderBy: { item: { externalId: 'asc' } },
	})

describe('a judge run', () => {
	test('asks both orders; a first-shown judge is position-inconsistent everywhere and its calls show it', async () => {
		const project = await projectWithItems({ count: 3 })
		const judge = await endpoint()
		const run = await requestJudgeRun({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { endpointId: judge.name },
		})
		expect(run).toMatchObject({ status: 'queued', templateVersion: 0, judge: { displayName: judge.name } })
		// Through the worker's handler, as the worker runs it.
		await judgeRunHandler({
			payload: { runId: run.id },
			jobId: run.id,
			retryCount: 0,
			retryLimit: 6,
			signal: new AbortController().signal,
			log,
		})

		expect(stub.requests).toHaveLength(6)
		for (const request of stub.requests) {
			expect(request.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'verdict' } })
			expect(shownResponses(request.body).map((response) => response.label)).toEqual(['A', 'B'])
		}
		const calls = await prisma.judgeCall.findMany({
			where: { runId: run.id },
			orderBy: [{ itemId: 'asc' }, { order: 'asc' }],
		})
		expect(calls).toHaveLength(6)
		for (const call of calls) {
			expect(call.state).toBe('done')
			expect(call.displayOrder).toEqual(call.order === 0 ? ['r1', 'r2'] : ['r2', 'r1'])
			// It always chose the response shown first.
			expect((call.verdict as { ranking: string[][] }).ranking[0]).toEqual([call.displayOrder[0]])
		}

		const judgments = await judgmentsOf(project.id)
		expect(judgments).toHaveLength(3)
		const judgeUser = await prisma.user.findUniqueOrThrow({ where: { judgeEndpointId: judge.id } })
		expect(judgeUser).toMatchObject({ kind: 'model', passwordHash: null, roles: [], displayName: judge.name })
		for (const judgment of judgments) {
			expect(judgment).toMatchObject({
				userId: judgeUser.id,
				source: 'model',
				leaseId: null,
				positionInconsistent: true,
				ranking: [['r1', 'r2']],
				displayOrder: ['r1', 'r2'],
				judgeRunId: run.id,
				judgeConfidence: null,
				idempotencyKey: `judge:${run.id}:${judgment.itemId}`,
				revision: 1,
			})
			expect(judgment.revisions).toHaveLength(1)
		}
		// Kept out of the human overlap.
		const items = await prisma.item.findMany({ where: { projectId: project.id } })
		expect(items.every((item) => item.judgmentCount === 0 && item.isOpen && item.targetCount === null)).toBe(true)

		const got = await callRoute(judgeRunLoader, apiRequest(`/api/v1/judge-runs/${run.id}`, { token: admin.token }), {
			id: run.id,
		})
		expect(await got.json()).toMatchObject({
			status: 'succeeded',
			progress: 1,
			etaSeconds: null,
			counts: { items: 3, tasks: 6, done: 6, failed: 0, pending: 0, itemsJudged: 3, itemsInconsistent: 3 },
			errors: [],
		})
	})

	test('a judge that prefers the longer response is consistent, whatever the order', async () => {
		const project = await projectWithItems({ count: 3 })
		const judge = await endpoint()
		stub.fallback = (request) => ({
			kind: 'judge',
			mode: 'longer',
			confidence: shownResponses(request.body)[0]!.content.includes('1 to') ? 0.9 : 0.7,
		})
		const { result } = await judgeRun({ slug: project.slug, endpointId: judge.id })
		expect(result).toMatchObject({ status: 'succeeded', done: 6, failed: 0, judged: 3 })
		const judgments = await judgmentsOf(project.id)
		const responses = await prisma.response.findMany({ where: { item: { projectId: project.id } } })
		const longer = (itemId: string) =>
			responses
				.filter((response) => response.itemId === itemId)
				.sort((a, b) => b.content.length - a.content.length)
				.map((response) => [response.key])
		expect(judgments.map((judgment) => judgment.ranking)).toEqual(judgments.map((judgment) => longer(judgment.itemId)))
		// The marker makes q2's second response the longer one: the judge followed length, not position.
		expect(judgments.map((judgment) => (judgment.ranking as string[][])[0]![0])).toEqual(['r1', 'r2', 'r1'])
		// The lower confidence of the two orders is kept.
		expect(judgments.map((judgment) => [judgment.positionInconsistent, judgment.judgeConfidence])).toEqual([
			[false, 0.7],
			[false, 0.7],
			[false, 0.7],
		])
	})

	test('an honest judge agrees with the planted marker, read from chatty answers', async () => {
		const project = await projectWithItems({ count: 4 })
		const judge = await endpoint()
		stub.fallback = () => ({ kind: 'judge', mode: 'honest', marker: '[better]', chatty: true })
		await judgeRun({ slug: project.slug, endpointId: judge.id })
		const judgments = await judgmentsOf(project.id)
		expect(judgments.map((judgment) => [judgment.item.externalId, judgment.ranking])).toEqual([
			['q1', [['r1'], ['r2']]],
			['q2', [['r2'], ['r1']]],
			['q3', [['r1'], ['r2']]],
			['q4', [['r2'], ['r1']]],
		])
		expect(judgments.every((judgment) => !judgment.positionInconsistent)).toBe(true)
	})

	test('ranking projects: the full ranking in both orders', async () => {
		const project = await projectWithItems({ count: 2, taskType: 'ranking' })
		const judge = await endpoint()
		stub.fallback = () => ({ kind: 'judge', mode: 'honest' })
		await judgeRun({ slug: project.slug, endpointId: judge.id })
		const calls = await prisma.judgeCall.findMany({
			where: { runId: { not: undefined }, item: { projectId: project.id } },
		})
		expect(calls.filter((call) => call.order === 1).every((call) => call.displayOrder.join() === 'r3,r2,r1')).toBe(true)
		const judgments = await judgmentsOf(project.id)
		expect(judgments.map((judgment) => judgment.ranking)).toEqual([
			[['r1'], ['r3'], ['r2']],
			[['r3'], ['r2'], ['r1']],
		])
		expect(judgments.every((judgment) => !judgment.positionInconsistent)).toBe(true)

		stub.fallback = () => ({ kind: 'judge', mode: 'first' })
		const again = await judgeRun({
			slug: project.slug,
			endpointId: judge.id,
			template: 'Rank these.\n{{responses}}\n{{verdict_format}}',
		})
		expect(again.run.templateVersion).toBe(1)
		const revised = await judgmentsOf(project.id)
		// A re-judge by the same judge is a new revision of its judgment.
		expect(revised.map((judgment) => [judgment.ranking, judgment.positionInconsistent, judgment.revision])).toEqual([
			[[['r1', 'r2', 'r3']], true, 2],
			[[['r1', 'r2', 'r3']], true, 2],
		])
		expect(revised.every((judgment) => judgment.revisions.length === 2)).toBe(true)
	})

	test('an unparseable answer is a failed call that keeps the raw text, never a judgment', async () => {
		const project = await projectWithItems({ count: 2 })
		const judge = await endpoint()
		stub.fallback = (request): StubBehaviour =>
			JSON.stringify(request.body.messages).includes('Question 2')
				? { kind: 'answer', content: 'Both answers have their merits, honestly.' }
				: { kind: 'judge', mode: 'longer' }
		const { run, result } = await judgeRun({ slug: project.slug, endpointId: judge.id })
		expect(result).toMatchObject({ status: 'succeeded', done: 2, failed: 2, judged: 1 })
		const failed = await prisma.judgeCall.findMany({ where: { runId: run.id, state: 'failed' } })
		expect(failed).toHaveLength(2)
		for (const call of failed) {
			expect(call.raw).toBe('Both answers have their merits, honestly.')
			expect(call.error).toMatch(/could not be read: no verdict found/)
			expect(call.verdict).toBeNull()
		}
		expect((await judgmentsOf(project.id)).map((judgment) => judgment.item.externalId)).toEqual(['q1'])
		const view = await callRoute(judgeRunLoader, apiRequest(`/api/v1/judge-runs/${run.id}`, { token: admin.token }), {
			id: run.id,
		})
		expect(
			((await view.json()) as { errors: { externalId: string }[] }).errors.map((error) => error.externalId),
		).toEqual(['q2', 'q2'])
	})

	test('a server that refuses response_format is asked without it, for the rest of the run', async () => {
		const project = await projectWithItems({ count: 3 })
		const judge = await endpoint({ concurrency: 1 })
		stub.rejectResponseFormat = true
		stub.fallback = () => ({ kind: 'judge', mode: 'longer' })
		const { result } = await judgeRun({ slug: project.slug, endpointId: judge.id })
		expect(result).toMatchObject({ status: 'succeeded', done: 6, failed: 0 })
		// Refused requests are not recorded: every answered one went without response_format.
		expect(stub.requests).toHaveLength(6)
		expect(stub.requests.every((request) => request.body.response_format === undefined)).toBe(true)
	})

	test("calls keep to the endpoint's concurrency", async () => {
		const project = await projectWithItems({ count: 6 })
		const judge = await endpoint({ concurrency: 3 })
		stub.fallback = () => ({ kind: 'judge', mode: 'longer' })
		stub.maxInFlight = 0
		// The first calls are held until three are open together: the limit is reached, not raced for.
		stub.holdUntilInFlight = 3
		const { result } = await judgeRun({ slug: project.slug, endpointId: judge.id })
		expect(result).toMatchObject({ status: 'succeeded', done: 12 })
		// Never more than the limit; more than one at a time, so the limit is what holds it back.
		expect(stub.maxInFlight).toBeLessThanOrEqual(3)
		expect(stub.maxInFlight).toBeGreaterThan(1)
	})

	test('429 and 500 are retried through the shared model call', async () => {
		const project = await projectWithItems({ count: 1 })
		const judge = await endpoint({ concurrency: 1 })
		stub.script({ kind: 'rate-limit', retryAfterSeconds: 0 }, { kind: 'error', status: 500 })
		stub.fallback = () => ({ kind: 'judge', mode: 'longer' })
		const { run, result } = await judgeRun({ slug: project.slug, endpointId: judge.id })
		expect(result).toMatchObject({ status: 'succeeded', done: 2 })
		const calls = await prisma.judgeCall.findMany({ where: { runId: run.id }, orderBy: { order: 'asc' } })
		expect(calls.reduce((sum, call) => sum + call.attempts, 0)).toBe(4)
	})

	test('an item this judge already judged with the same template is skipped', async () => {
		const project = await projectWithItems({ count: 2 })
		const judge = await endpoint()
		await judgeRun({ slug: project.slug, endpointId: judge.id })
		stub.requests.length = 0
		const { result } = await judgeRun({ slug: project.slug, endpointId: judge.id })
		expect(result).toMatchObject({ status: 'succeeded', done: 0, judged: 0 })
		expect(stub.requests).toHaveLength(0)
	})

	test('a retried run never calls twice for a stored (item, order), and finishes the judgments', async () => {
		const project = await projectWithItems({ count: 3 })
		const judge = await endpoint({ concurrency: 1 })
		stub.fallback = () => ({ kind: 'judge', mode: 'longer' })
		const run = await requestJudgeRun({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { endpointId: judge.id },
		})
		const stop = new AbortController()
		let stored = 0
		await expect(
			runJudge({
				runId: run.id,
				log,
				retryPolicy: fast,
				signal: stop.signal,
				hooks: {
					afterCall: async () => {
						if (++stored === 3) stop.abort()
					},
				},
			}),
		).rejects.toThrow(/shutting down/)
		const firstPass = stub.requests.length
		const doneBefore = await prisma.judgeCall.count({ where: { runId: run.id, state: 'done' } })
		expect(doneBefore).toBeGreaterThanOrEqual(3)
		expect(await runJudge({ runId: run.id, log, retryPolicy: fast })).toMatchObject({
			status: 'succeeded',
			done: 6,
			judged: 3,
		})
		expect(stub.requests.length - firstPass).toBe(6 - doneBefore)
		const prompts = stub.requests.map((request) => JSON.stringify(request.body.messages))
		expect(new Set(prompts).size).toBe(6)
		// Running it again (a duplicate delivery) does nothing.
		expect(await runJudge({ runId: run.id, log })).toEqual({ status: 'skipped' })
		expect(stub.requests).toHaveLength(prompts.length)
		const judgments = await judgmentsOf(project.id)
		expect(judgments.map((judgment) => judgment.revision)).toEqual([1, 1, 1])
	})
})

describe('judge runs API', () => {
	test('202 with the queued run; annotators 403; unknown endpoints 422; DELETE cancels', async () => {
		const project = await projectWithItems({ count: 1 })
		const judge = await endpoint()
		const annotator = await makeUserWithToken({ roles: ['annotator'] })
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		const post = (token: string, body: unknown) =>
			callRoute(
				judgeRunsAction,
				apiRequest(`/api/v1/projects/${project.slug}/judge-runs`, { token, method: 'POST', body }),
				{
					slug: project.slug,
				},
			)
		expect((await post(annotator.token, { endpointId: judge.id })).status).toBe(403)
		const unknown = await post(engineer.token, { endpointId: 'nope' })
		expect(unknown.status).toBe(422)
		expect(((await unknown.json()) as { errors: { path: string; message: string }[] }).errors[0]).toMatchObject({
			path: 'endpointId',
			message: expect.stringContaining('no endpoint "nope"'),
		})
		expect((await post(engineer.token, { endpointId: judge.id, extra: 1 })).status).toBe(422)

		const created = await post(engineer.token, {
			endpointId: judge.name,
			template: 'Judge: {{responses}} {{verdict_format}}',
		})
		expect(created.status).toBe(202)
		const run = (await created.json()) as { id: string; status: string; templateVersion: number }
		expect(run).toMatchObject({ status: 'queued', templateVersion: 1 })
		expect(created.headers.get('Location')).toBe(`/api/v1/judge-runs/${run.id}`)
		const forAnnotator = await callRoute(
			judgeRunLoader,
			apiRequest(`/api/v1/judge-runs/${run.id}`, { token: annotator.token }),
			{ id: run.id },
		)
		expect(forAnnotator.status).toBe(403)

		await expect(deleteModelEndpoint({ user: asSessionUser(admin.user), id: judge.id })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringContaining('A judge run is still using this endpoint'),
		})

		const cancelled = await callRoute(
			judgeRunAction,
			apiRequest(`/api/v1/judge-runs/${run.id}`, { token: engineer.token, method: 'DELETE' }),
			{ id: run.id },
		)
		expect(await cancelled.json()).toMatchObject({ status: 'cancelled' })
		expect(await runJudge({ runId: run.id, log })).toEqual({ status: 'skipped' })
		expect(stub.requests).toHaveLength(0)
	})

	test('a run cancelled while running stops calling the judge', async () => {
		const project = await projectWithItems({ count: 30 })
		const judge = await endpoint({ concurrency: 1 })
		stub.fallback = () => ({ kind: 'judge', mode: 'first' })
		const run = await requestJudgeRun({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { endpointId: judge.id },
		})
		let stored = 0
		const result = await runJudge({
			runId: run.id,
			log,
			cancelPollMs: 20,
			hooks: {
				afterCall: async () => {
					if (++stored !== 3) return
					// From here the judge never answers: only the cancel can end the run.
					stub.fallback = () => ({ kind: 'hang' })
					await callRoute(
						judgeRunAction,
						apiRequest(`/api/v1/judge-runs/${run.id}`, { token: admin.token, method: 'DELETE' }),
						{ id: run.id },
					)
				},
			},
		})
		expect(result).toEqual({ status: 'cancelled' })
		expect((await prisma.judgeRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('cancelled')
		expect(stub.requests.length).toBeLessThan(60)
	})
})

describe('hybrid routing', () => {
	test('a sure item closes after one human judgment; an unsure one needs the full overlap', async () => {
		const annotators = await Promise.all([1, 2, 3].map(() => makeUser({ roles: ['annotator'] })))
		const project = await projectWithItems({ count: 3, overlap: 3, members: annotators })
		const judge = await endpoint()
		const bad = await updateProject({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { judging: { routing: { endpointId: '3f1c2d4e-0000-4000-8000-000000000000' } } },
		}).catch((error: { fieldErrors?: unknown }) => error.fieldErrors)
		expect(bad).toEqual([{ path: 'judging.routing.endpointId', message: 'no model endpoint with this id' }])
		await updateProject({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { judging: { routing: { endpointId: judge.id } } },
		})
		const shown = await callRoute(
			projectLoader,
			apiRequest(`/api/v1/projects/${project.slug}`, { token: admin.token }),
			{
				slug: project.slug,
			},
		)
		expect(((await shown.json()) as { judging: unknown }).judging).toEqual({
			routing: { endpointId: judge.id, confidence: 0.8, overlapWhenJudgeSure: 1 },
		})

		// q1: consistent and sure; q2: consistent but unsure (0.5); q3: position-inconsistent.
		stub.fallback = (request) => {
			const text = JSON.stringify(request.body.messages)
			if (text.includes('Question 3')) return { kind: 'judge', mode: 'first', confidence: 0.95 }
			return { kind: 'judge', mode: 'longer', confidence: text.includes('Question 2') ? 0.5 : 0.9 }
		}
		await judgeRun({ slug: project.slug, endpointId: judge.id })
		const targets = await prisma.item.findMany({
			where: { projectId: project.id },
			orderBy: { externalId: 'asc' },
			select: { externalId: true, targetCount: true, isOpen: true },
		})
		expect(targets).toEqual([
			{ externalId: 'q1', targetCount: 1, isOpen: true },
			{ externalId: 'q2', targetCount: null, isOpen: true },
			{ externalId: 'q3', targetCount: null, isOpen: true },
		])

		// Three annotators each judge everything they are served.
		for (const annotator of annotators) {
			for (;;) {
				try {
					await judgeNext({ slug: project.slug, annotator: asSessionUser(annotator) })
				} catch (error) {
					if (error instanceof Error && error.message === 'no work to judge') break
					throw error
				}
			}
		}
		const after = await prisma.item.findMany({
			where: { projectId: project.id },
			orderBy: { externalId: 'asc' },
			select: { externalId: true, judgmentCount: true, isOpen: true },
		})
		expect(after).toEqual([
			{ externalId: 'q1', judgmentCount: 1, isOpen: false },
			{ externalId: 'q2', judgmentCount: 3, isOpen: false },
			{ externalId: 'q3', judgmentCount: 3, isOpen: false },
		])
	})

	test('an item that already has enough human judgments closes when the judge is sure', async () => {
		const annotators = await Promise.all([1, 2].map(() => makeUser({ roles: ['annotator'] })))
		const project = await projectWithItems({ count: 1, overlap: 3, members: annotators })
		for (const annotator of annotators) await judgeNext({ slug: project.slug, annotator: asSessionUser(annotator) })
		const judge = await endpoint()
		await updateProject({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { judging: { routing: { endpointId: judge.id, confidence: 0.6, overlapWhenJudgeSure: 1 } } },
		})
		stub.fallback = () => ({ kind: 'judge', mode: 'longer' })
		await judgeRun({ slug: project.slug, endpointId: judge.id })
		expect(
			await prisma.item.findFirstOrThrow({
				where: { projectId: project.id },
				select: { targetCount: true, judgmentCount: true, isOpen: true },
			}),
		).toEqual({ targetCount: 2, judgmentCount: 2, isOpen: false })
	})
	test('a sure verdict never takes back a slot an annotator holds: their open leases are all still accepted', async () => {
		const annotators = await Promise.all([1, 2, 3].map(() => makeUser({ roles: ['annotator'] })))
		const project = await projectWithItems({ count: 1, overlap: 3, members: annotators })
		// One after another: claims that meet on the item's lock pass it over (SKIP LOCKED).
		const leases = []
		for (const annotator of annotators)
			leases.push(await claimNext({ slug: project.slug, user: asSessionUser(annotator) }))
		expect(leases.every((lease) => lease !== null)).toBe(true)
		const judge = await endpoint()
		await updateProject({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { judging: { routing: { endpointId: judge.id, confidence: 0.6, overlapWhenJudgeSure: 1 } } },
		})
		stub.fallback = () => ({ kind: 'judge', mode: 'longer', confidence: 0.95 })
		await judgeRun({ slug: project.slug, endpointId: judge.id })
		expect(
			await prisma.item.findFirstOrThrow({ where: { projectId: project.id }, select: { targetCount: true } }),
		).toEqual({ targetCount: 3 })
		for (const [index, annotator] of annotators.entries()) {
			const stored = await submitJudgment({
				leaseId: leases[index]!.lease.id,
				user: asSessionUser(annotator),
				input: { ranking: [['r1'], ['r2']], strength: 1, idempotencyKey: `held-${index}` },
			})
			expect(stored).toMatchObject({ replay: false, judgment: { revision: 1 } })
		}
	})

	test('routing follows its settings: turned on after a run, changed, with a new overlap, and turned off', async () => {
		const project = await projectWithItems({ count: 3, overlap: 3 })
		const judge = await endpoint()
		// q1 sure (0.9), q2 stated 0.7, q3 position-inconsistent; judged before routing exists.
		stub.fallback = (request) => {
			const text = JSON.stringify(request.body.messages)
			if (text.includes('Question 3')) return { kind: 'judge', mode: 'first', confidence: 0.95 }
			return { kind: 'judge', mode: 'longer', confidence: text.includes('Question 2') ? 0.7 : 0.9 }
		}
		await judgeRun({ slug: project.slug, endpointId: judge.id })
		const targets = async () =>
			(
				await prisma.item.findMany({
					where: { projectId: project.id },
					orderBy: { externalId: 'asc' },
					select: { targetCount: true },
				})
			).map((item) => item.targetCount)
		const settings = (input: Record<string, unknown>) =>
			updateProject({ slug: project.slug, user: asSessionUser(admin.user), input })
		expect(await targets()).toEqual([null, null, null])

		await settings({ judging: { routing: { endpointId: judge.id, confidence: 0.8, overlapWhenJudgeSure: 1 } } })
		expect(await targets()).toEqual([1, null, null])
		await settings({ judging: { routing: { endpointId: judge.id, confidence: 0.6, overlapWhenJudgeSure: 2 } } })
		expect(await targets()).toEqual([2, 2, null])
		await settings({ overlap: 5 })
		expect(await targets()).toEqual([2, 2, null])
		expect(await prisma.item.count({ where: { projectId: project.id, isOpen: true } })).toBe(3)
		// A spot check larger than the overlap asks for no more than the overlap.
		await settings({ judging: { routing: { endpointId: judge.id, confidence: 0.6, overlapWhenJudgeSure: 9 } } })
		expect(await targets()).toEqual([5, 5, null])

		const other = await endpoint()
		await settings({ judging: { routing: { endpointId: other.id, confidence: 0.6, overlapWhenJudgeSure: 2 } } })
		expect(await targets()).toEqual([null, null, null])
		await settings({ judging: { routing: { endpointId: judge.id, confidence: 0.6, overlapWhenJudgeSure: 2 } } })
		// The judging settings merge: counting judges in the analytics keeps routing as it is.
		await settings({ judging: { includeInAnalytics: true } })
		expect(await targets()).toEqual([2, 2, null])
		expect((await prisma.project.findUniqueOrThrow({ where: { id: project.id } })).judging).toEqual({
			includeInAnalytics: true,
			routing: { endpointId: judge.id, confidence: 0.6, overlapWhenJudgeSure: 2 },
		})
		await settings({ judging: { routing: null } })
		expect(await targets()).toEqual([null, null, null])

		// A stored routing whose endpoint is gone does not block other settings; sending it again is refused.
		await settings({ judging: { routing: { endpointId: other.id, confidence: 0.6, overlapWhenJudgeSure: 2 } } })
		await deleteModelEndpoint({ user: asSessionUser(admin.user), id: other.id })
		await settings({ judging: { includeInAnalytics: false } })
		await expect(
			settings({ judging: { routing: { endpointId: other.id, confidence: 0.6, overlapWhenJudgeSure: 2 } } }),
		).rejects.toMatchObject({
			fieldErrors: [{ path: 'judging.routing.endpointId', message: 'no model endpoint with this id' }],
		})
	})

	test('routing changes while annotators claim and submit: no deadlock, every item ends with its overlap', async () => {
		const annotators = await Promise.all(Array.from({ length: 8 }, () => makeUser({ roles: ['annotator'] })))
		const project = await projectWithItems({ count: 24, overlap: 3, members: annotators })
		const judge = await endpoint()
		stub.fallback = (request) => ({
			kind: 'judge',
			mode: 'longer',
			confidence: JSON.stringify(request.body.messages).includes('Question 1') ? 0.5 : 0.9,
		})
		await judgeRun({ slug: project.slug, endpointId: judge.id })
		let working = annotators.length
		const settingsChanges = (async () => {
			for (let n = 0; working > 0; n++)
				await updateProject({
					slug: project.slug,
					user: asSessionUser(admin.user),
					input: { judging: { routing: n % 2 ? null : { endpointId: judge.id, overlapWhenJudgeSure: 1 } } },
				})
		})()
		await Promise.all(
			annotators.map(async (annotator) => {
				try {
					for (;;) {
						try {
							await judgeNext({ slug: project.slug, annotator: asSessionUser(annotator) })
						} catch (error) {
							if (!(error instanceof Error && error.message === 'no work to judge')) throw error
							if (!(await mayStillClaim({ projectId: project.id, userId: annotator.id }))) break
						}
					}
				} finally {
					working--
				}
			}),
		)
		await settingsChanges
		// Routing off for good: every item wants its full overlap again, and gets exactly that.
		await updateProject({ slug: project.slug, user: asSessionUser(admin.user), input: { judging: { routing: null } } })
		for (const annotator of annotators) {
			for (;;) {
				try {
					await judgeNext({ slug: project.slug, annotator: asSessionUser(annotator) })
				} catch (error) {
					if (error instanceof Error && error.message === 'no work to judge') break
					throw error
				}
			}
		}
		const items = await prisma.item.findMany({
			where: { projectId: project.id },
			select: { judgmentCount: true, targetCount: true, isOpen: true },
		})
		expect(items).toHaveLength(24)
		expect(items.every((item) => item.judgmentCount === 3 && item.targetCount === null && !item.isOpen)).toBe(true)
		const stored = await prisma.judgment.findMany({
			where: { projectId: project.id, source: 'human' },
			select: { itemId: true, userId: true },
		})
		expect(new Set(stored.map((judgment) => `${judgment.itemId}:${judgment.userId}`)).size).toBe(72)
		expect(stored).toHaveLength(72)
	})

	test('adaptive projects ignore routing: a sure verdict leaves targets and overlap alone', async () => {
		const annotators = await Promise.all([1, 2].map(() => makeUser({ roles: ['annotator'] })))
		const project = await projectWithItems({
			count: 2,
			overlap: { mode: 'adaptive', min: 2, max: 4, confidence: 0.9 },
			members: annotators,
		})
		const judge = await endpoint()
		await updateProject({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { judging: { routing: { endpointId: judge.id, confidence: 0.5, overlapWhenJudgeSure: 1 } } },
		})
		stub.fallback = () => ({ kind: 'judge', mode: 'longer', confidence: 0.99 })
		await judgeRun({ slug: project.slug, endpointId: judge.id })
		expect(await prisma.judgment.count({ where: { projectId: project.id, source: 'model' } })).toBe(2)
		expect(
			await prisma.item.findMany({
				where: { projectId: project.id },
				select: { targetCount: true, isOpen: true, judgmentCount: true },
			}),
		).toEqual([
			{ targetCount: null, isOpen: true, judgmentCount: 0 },
			{ targetCount: null, isOpen: true, judgmentCount: 0 },
		])
	})
})

describe('runs of one judge', () => {
	test('one run per judge and project at a time: a second request while the first is queued is refused', async () => {
		const project = await projectWithItems({ count: 1 })
		const judge = await endpoint()
		await requestJudgeRun({ slug: project.slug, user: asSessionUser(admin.user), input: { endpointId: judge.id } })
		const refused = await requestJudgeRun({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { endpointId: judge.id },
		}).catch((error: { status?: number; message?: string }) => error)
		expect(refused).toMatchObject({ status: 409, message: expect.stringContaining('already queued or running') })
		expect(await prisma.judgeRun.count({ where: { projectId: project.id } })).toBe(1)
	})

	test('a run whose job throws on its last attempt is marked failed, not left running', async () => {
		// Enough items that the first failure leaves calls pending for the next attempt.
		const project = await projectWithItems({ count: 12 })
		const judge = await endpoint()
		const run = await requestJudgeRun({
			slug: project.slug,
			user: asSessionUser(admin.user),
			input: { endpointId: judge.id },
		})
		stub.fallback = () => ({ kind: 'judge', mode: 'first' })
		judgeRunHooks.afterCall = async () => {
			throw new Error('the database went away')
		}
		const attempt = (retryCount: number) =>
			judgeRunHandler({
				payload: { runId: run.id },
				jobId: run.id,
				retryCount,
				retryLimit: 2,
				signal: new AbortController().signal,
				log,
			})
		try {
			await expect(attempt(0)).rejects.toThrow('the database went away')
			expect((await prisma.judgeRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('running')
			await expect(attempt(2)).rejects.toThrow('the database went away')
		} finally {
			delete judgeRunHooks.afterCall
		}
		const failed = await prisma.judgeRun.findUniqueOrThrow({ where: { id: run.id } })
		expect(failed.status).toBe('failed')
		expect(failed.error).toContain('the database went away')
		expect(failed.finishedAt).not.toBeNull()
	})
})
