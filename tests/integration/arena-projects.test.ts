import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Role } from '#app/generated/prisma/enums.ts'
import type { LeaderboardSnapshot } from '#app/modules/analytics/analytics.types.ts'
import { refreshArenaWeights } from '#app/modules/analytics/refresh-arena-weights.server.ts'
import { refreshProjectAnalytics } from '#app/modules/analytics/refresh-project-analytics.server.ts'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { requestGeneration } from '#app/modules/generations/request-generation.server.ts'
import { runGeneration } from '#app/modules/generations/run-generation.server.ts'
import { createModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import type { Assignment } from '#app/modules/assignments/serialize-assignment.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import { createProject } from '#app/modules/projects/create-project.server.ts'
import { updateProject } from '#app/modules/projects/update-project.server.ts'
import { action as judgmentAction } from '#app/routes/api/assignment-judgment.ts'
import { action as nextAction } from '#app/routes/api/assignments-next.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { createLogger } from '#app/utils/logger.server.ts'
import { importText, jsonl } from '#tests/factories/imports.ts'
import { mayStillClaim } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUser, makeUserWithToken } from '#tests/factories/users.ts'
import { startStubOpenAi, type StubOpenAi } from '#tests/helpers/stub-openai.ts'

const asUser = (user: { id: string; email: string; displayName: string; roles: Role[] }) => ({
	id: user.id,
	email: user.email,
	displayName: user.displayName,
	roles: user.roles,
})

const MODELS = ['model-a', 'model-b', 'model-c', 'model-d']

/** The pair of models a lease shows, as "model-a|model-c" (sorted). */
async function shownPair(leaseId: string) {
	const lease = await prisma.lease.findUniqueOrThrow({
		where: { id: leaseId },
		select: { displayOrder: true, item: { select: { responses: { select: { key: true, model: true } } } } },
	})
	const model = new Map(lease.item.responses.map((r) => [r.key, r.model ?? r.key]))
	return lease.displayOrder
		.map((key) => model.get(key)!)
		.sort()
		.join('|')
}

async function arenaProject({
	annotators,
	items,
	overlap = 3,
	pairPolicy = 'uniform' as const,
}: {
	annotators: { id: string }[]
	items: number
	overlap?: number
	pairPolicy?: 'uniform' | 'active'
}) {
	return makeProject({
		members: annotators,
		items,
		responses: 4,
		input: { taskType: 'comparison', overlap, pairPolicy, useStrength: false },
	})
}

function vote(assignment: Assignment, key: string) {
	const [a, b] = assignment.item.responses.map((r) => r.id)
	return { ranking: [[a!], [b!]], idempotencyKey: key }
}

describe('the claim of a comparison project', () => {
	test('leases exactly two responses from different models, without model names, and counts the battle', async () => {
		const annotator = await makeUser()
		const project = await arenaProject({ annotators: [annotator], items: 2 })
		const assignment = (await claimNext({ slug: project.slug, user: asUser(annotator) }))!
		expect(assignment.item.responses).toHaveLength(2)
		expect(assignment.item.responses.every((r) => !('model' in r))).toBe(true)
		expect(JSON.stringify(assignment)).not.toMatch(/model-[abcd]/)
		const lease = await prisma.lease.findUniqueOrThrow({ where: { id: assignment.lease.id } })
		expect(lease.displayOrder).toEqual(assignment.item.responses.map((r) => r.id))
		const pair = await shownPair(lease.id)
		const [a, b] = pair.split('|')
		expect(a).not.toBe(b)
		expect(
			await prisma.arenaPair.findMany({
				where: { projectId: project.id },
				select: { modelA: true, modelB: true, battles: true },
			}),
		).toEqual([{ modelA: a, modelB: b, battles: 1 }])

		const resumed = (await claimNext({ slug: project.slug, user: asUser(annotator) }))!
		expect(resumed.lease.id).toBe(assignment.lease.id)
		expect(resumed.item.responses.map((r) => r.id)).toEqual(assignment.item.responses.map((r) => r.id))
		expect((await prisma.arenaPair.findFirstOrThrow({ where: { projectId: project.id } })).battles).toBe(1)
	})

	test('uniform: 60 claims by different annotators show every pair of models equally often', async () => {
		const annotators = await Promise.all(Array.from({ length: 60 }, () => makeUser()))
		const project = await arenaProject({ annotators, items: 15, overlap: 4 })
		const counts = new Map<string, number>()
		for (const annotator of annotators) {
			const assignment = await claimNext({ slug: project.slug, user: asUser(annotator) })
			expect(assignment).not.toBeNull()
			const pair = await shownPair(assignment!.lease.id)
			counts.set(pair, (counts.get(pair) ?? 0) + 1)
		}
		expect(counts.size).toBe(6)
		const values = [...counts.values()]
		expect(values.reduce((s, n) => s + n, 0)).toBe(60)
		expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1)
		const stored = await prisma.arenaPair.findMany({ where: { projectId: project.id } })
		expect(stored.map((row) => row.battles).sort()).toEqual(values.sort())
	})

	test('active: pairs are drawn by their planted weights', async () => {
		const annotators = await Promise.all(Array.from({ length: 60 }, () => makeUser()))
		const project = await arenaProject({ annotators, items: 15, overlap: 4, pairPolicy: 'active' })
		const weights: Record<string, number> = { 'model-a|model-b': 10, 'model-c|model-d': 0 }
		const rows = []
		for (let i = 0; i < MODELS.length; i++)
			for (let j = i + 1; j < MODELS.length; j++) {
				const key = `${MODELS[i]}|${MODELS[j]}`
				rows.push({ projectId: project.id, modelA: MODELS[i]!, modelB: MODELS[j]!, weight: weights[key] ?? 1 })
			}
		await prisma.arenaPair.createMany({ data: rows })

		const counts = new Map<string, number>()
		for (const annotator of annotators) {
			const assignment = await claimNext({ slug: project.slug, user: asUser(annotator) })
			const pair = await shownPair(assignment!.lease.id)
			counts.set(pair, (counts.get(pair) ?? 0) + 1)
		}
		// Expected shares: 10/14 for the heavy pair, 1/14 for each of four others, never the zero pair.
		// The heavy count is Binomial(60, 10/14), mean 42.9 and sd 3.5: below 22 about once in 200
		// million runs, while uniform draws over the six pairs (mean 10) reach 22 once in 6,000.
		expect(counts.get('model-c|model-d') ?? 0).toBe(0)
		const heavy = counts.get('model-a|model-b') ?? 0
		expect(heavy).toBeGreaterThanOrEqual(22)
		for (const [pair, n] of counts) if (pair !== 'model-a|model-b') expect(n).toBeLessThan(heavy)
	})

	test('many annotators claiming and submitting at once: overlap battles per prompt, each counted once', async () => {
		const annotators = await Promise.all(Array.from({ length: 10 }, () => makeUser()))
		const project = await arenaProject({ annotators, items: 12, overlap: 3 })
		await Promise.all(
			annotators.map(async (annotator, n) => {
				for (let k = 0; ; k++) {
					const assignment = await claimNext({ slug: project.slug, user: asUser(annotator) })
					if (!assignment) {
						if (await mayStillClaim({ projectId: project.id, userId: annotator.id })) continue
						break
					}
					expect(assignment.item.responses).toHaveLength(2)
					await submitJudgment({
						leaseId: assignment.lease.id,
						user: asUser(annotator),
						input: vote(assignment, `${n}-${k}`),
					})
				}
			}),
		)
		const items = await prisma.item.findMany({ where: { projectId: project.id }, select: { judgmentCount: true } })
		expect(items.every((item) => item.judgmentCount === 3)).toBe(true)
		const judgments = await prisma.judgment.findMany({
			where: { projectId: project.id },
			select: { itemId: true, userId: true, displayOrder: true },
		})
		expect(judgments).toHaveLength(36)
		expect(new Set(judgments.map((j) => `${j.itemId}:${j.userId}`)).size).toBe(36)
		expect(judgments.every((j) => j.displayOrder.length === 2)).toBe(true)
		const leases = await prisma.lease.count({ where: { projectId: project.id } })
		const battles = await prisma.arenaPair.aggregate({ where: { projectId: project.id }, _sum: { battles: true } })
		expect(battles._sum.battles).toBe(leases)
		expect(leases).toBe(36)
	})

	test('an item with responses from a single model is passed over', async () => {
		const annotator = await makeUser()
		const project = await arenaProject({ annotators: [annotator], items: 0 })
		const item = await prisma.item.create({
			data: { projectId: project.id, externalId: 'one-model', context: { prompt: 'p' }, contentHash: 'h' },
		})
		await prisma.response.createMany({
			data: [
				{ itemId: item.id, key: 'r1', position: 0, model: 'same', content: 'one' },
				{ itemId: item.id, key: 'r2', position: 1, model: 'same', content: 'two' },
			],
		})
		expect(await claimNext({ slug: project.slug, user: asUser(annotator) })).toBeNull()
	})
})

describe('the annotator API on a comparison project', () => {
	test('next shows two responses; a judgment naming another response is a 422 naming the field', async () => {
		const annotator = await makeUserWithToken({ roles: ['annotator'] })
		const project = await arenaProject({ annotators: [annotator.user], items: 1 })
		const next = await callRoute(
			nextAction,
			apiRequest(`/api/v1/projects/${project.slug}/assignments/next`, { token: annotator.token, method: 'POST' }),
			{ slug: project.slug },
		)
		expect(next.status).toBe(200)
		const body = (await next.json()) as {
			lease: { id: string }
			item: { responses: { id: string }[] }
			project: { taskType: string; showModelNames: boolean }
		}
		expect(body.item.responses).toHaveLength(2)
		expect(body.project).toMatchObject({ taskType: 'comparison', showModelNames: false })
		expect(JSON.stringify(body)).not.toMatch(/model-[abcd]/)
		const shown = body.item.responses.map((r) => r.id)
		const other = ['r1', 'r2', 'r3', 'r4'].find((key) => !shown.includes(key))!

		const submit = (ranking: string[][], key: string) =>
			callRoute(
				judgmentAction,
				apiRequest(`/api/v1/assignments/${body.lease.id}/judgment`, {
					token: annotator.token,
					method: 'POST',
					body: { ranking, idempotencyKey: key },
				}),
				{ leaseId: body.lease.id },
			)
		const wrong = await submit([[shown[0]!], [other]], 'wrong')
		expect(wrong.status).toBe(422)
		const problem = (await wrong.json()) as { errors: { path: string; message: string }[] }
		expect(problem.errors).toContainEqual({
			path: 'ranking[1][0]',
			message: `unknown response id "${other}"; expected one of ${shown.join(', ')}`,
		})
		expect(problem.errors).toContainEqual({
			path: 'ranking',
			message: `every response must be ranked exactly once; missing ${shown[1]}`,
		})
		expect(await prisma.judgment.count({ where: { projectId: project.id } })).toBe(0)

		const right = await submit([[shown[1]!], [shown[0]!]], 'right')
		expect(right.status).toBe(201)
		const stored = await prisma.judgment.findFirstOrThrow({ where: { projectId: project.id } })
		expect(stored.displayOrder).toEqual(shown)
		expect(stored.ranking).toEqual([[shown[1]], [shown[0]]])
	})
})

describe('comparison project settings and imports', () => {
	test('adaptive overlap is refused with a field error', async () => {
		const admin = await makeUser({ roles: ['admin'] })
		const adaptive = { mode: 'adaptive' as const, min: 2, max: 5, confidence: 0.9 }
		await expect(
			createProject({ actorId: null, input: { name: 'Arena', taskType: 'comparison', overlap: adaptive } }),
		).rejects.toMatchObject({
			issues: [expect.objectContaining({ path: ['overlap'], message: expect.stringMatching(/battles per prompt/) })],
		})
		const project = await makeProject({ input: { taskType: 'comparison' } })
		const error = await updateProject({ slug: project.slug, user: asUser(admin), input: { overlap: adaptive } }).catch(
			(e: unknown) => e,
		)
		expect(error).toBeInstanceOf(AppError)
		expect((error as AppError).fieldErrors).toEqual([
			{ path: 'overlap', message: expect.stringMatching(/not available for comparison projects/) },
		])
	})

	test('imports: different models per prompt, prompt-only lines wait, self-identifying responses are flagged and re-flagged when the words change', async () => {
		const admin = await makeUser({ roles: ['admin'] })
		const project = await makeProject({ input: { taskType: 'comparison', status: 'draft' } })
		const refused = await importText({
			slug: project.slug,
			user: asUser(admin),
			data: jsonl(
				{
					id: 'ok',
					prompt: 'Hi',
					responses: [
						{ model: 'x', content: 'a' },
						{ model: 'y', content: 'b' },
					],
				},
				{
					id: 'dup',
					prompt: 'Hi',
					responses: [
						{ model: 'x', content: 'a' },
						{ model: 'y', content: 'b' },
						{ model: 'x', content: 'c' },
					],
				},
			),
		})
		expect(refused.refused).toBe(true)
		expect(refused.errors).toEqual([
			{
				line: 2,
				path: 'responses[2].model',
				message: 'model "x" already answers in response 1; a comparison item needs its responses from different models',
			},
		])

		const report = await importText({
			slug: project.slug,
			user: asUser(admin),
			data: jsonl(
				{
					id: 'p1',
					prompt: 'Who are you?',
					responses: [
						{ id: 'r1', model: 'm1', content: 'I am ChatGPT, a large language model trained by OpenAI.' },
						{ id: 'r2', model: 'm2', content: 'I am an assistant.' },
						{ id: 'r3', model: 'm3', content: 'Claudette is my cat.' },
						{ id: 'r4', content: 'As a model developed by   Google DeepMind, I help.' },
					],
				},
				{ id: 'waiting', prompt: 'Generate for me' },
			),
		})
		expect(report).toMatchObject({ refused: false, imported: 2, errors: [] })
		const flags = async () =>
			Object.fromEntries(
				(
					await prisma.response.findMany({
						where: { item: { projectId: project.id } },
						select: { key: true, selfIdentifies: true },
					})
				).map((r) => [r.key, r.selfIdentifies]),
			)
		expect(await flags()).toEqual({ r1: true, r2: false, r3: false, r4: true })
		const waiting = await prisma.item.findFirstOrThrow({ where: { projectId: project.id, externalId: 'waiting' } })
		expect(waiting).toMatchObject({ awaitingResponses: true, isOpen: false })

		await updateProject({
			slug: project.slug,
			user: asUser(admin),
			input: { arena: { selfIdWords: ['assistant', 'claudette'] } },
		})
		expect(await flags()).toEqual({ r1: false, r2: true, r3: true, r4: false })
		await updateProject({ slug: project.slug, user: asUser(admin), input: { arena: { includeSelfIdentified: true } } })
		const stored = await prisma.project.findUniqueOrThrow({ where: { id: project.id }, select: { arena: true } })
		expect(stored.arena).toEqual({ selfIdWords: ['assistant', 'claudette'], includeSelfIdentified: true })
		expect(await flags()).toEqual({ r1: false, r2: true, r3: true, r4: false })
	})
})

describe('changing the task type of a project with items', () => {
	const refusal = (error: unknown) => (error instanceof AppError ? error.fieldErrors : error)

	test('refused while the items do not fit the new type, or leases made for the old one are open', async () => {
		const admin = await makeUser({ roles: ['admin'] })
		const annotator = await makeUser()
		const arena = await arenaProject({ annotators: [annotator], items: 1 })
		const toPairwise = await updateProject({
			slug: arena.slug,
			user: asUser(admin),
			input: { taskType: 'pairwise' },
		}).catch(refusal)
		expect(toPairwise).toEqual([
			{ path: 'taskType', message: 'an item has 4 responses; a pairwise project takes at most 2' },
		])

		const ranking = await makeProject({ members: [annotator], items: 1, responses: 3, input: { taskType: 'ranking' } })
		await claimNext({ slug: ranking.slug, user: asUser(annotator) })
		const leased = await updateProject({
			slug: ranking.slug,
			user: asUser(admin),
			input: { taskType: 'comparison' },
		}).catch(refusal)
		expect(leased).toEqual([
			{
				path: 'taskType',
				message: '1 item(s) are leased to annotators under the current task type; change it when no lease is open',
			},
		])
		expect((await prisma.project.findUniqueOrThrow({ where: { id: ranking.id } })).taskType).toBe('ranking')
	})
})

describe('active weights', () => {
	test('the refresh writes a probability for every pair of models from the human battles', async () => {
		const annotators = await Promise.all(Array.from({ length: 6 }, () => makeUser()))
		const project = await arenaProject({ annotators, items: 6, overlap: 2, pairPolicy: 'active' })
		for (const [n, annotator] of annotators.entries()) {
			const assignment = await claimNext({ slug: project.slug, user: asUser(annotator) })
			await submitJudgment({
				leaseId: assignment!.lease.id,
				user: asUser(annotator),
				input: vote(assignment!, `w${n}`),
			})
		}
		const row = await prisma.project.findUniqueOrThrow({ where: { id: project.id } })
		// The weights follow the battles the refresh's leaderboard counted.
		await refreshProjectAnalytics({ projectId: project.id })
		const leaderboard = await prisma.analyticsSnapshot.findUniqueOrThrow({
			where: { projectId_kind: { projectId: project.id, kind: 'leaderboard' } },
		})
		const counted = (leaderboard.data as unknown as LeaderboardSnapshot).pairs
		expect(counted.reduce((s, pair) => s + pair.battles, 0)).toBe(6)
		expect(await refreshArenaWeights({ projectId: project.id, project: row, pairs: counted })).toBe(6)
		const pairs = await prisma.arenaPair.findMany({ where: { projectId: project.id } })
		expect(pairs).toHaveLength(6)
		expect(pairs.every((pair) => pair.modelA < pair.modelB && pair.weight > 0)).toBe(true)
		expect(pairs.reduce((s, pair) => s + pair.weight, 0)).toBeCloseTo(1, 9)
		expect(pairs.reduce((s, pair) => s + pair.battles, 0)).toBe(6)
		// Every pair keeps at least the floor's share (0.1 spread over the six pairs).
		expect(Math.min(...pairs.map((pair) => pair.weight))).toBeGreaterThanOrEqual(0.1 / 6 - 1e-12)

		const uniform = await arenaProject({ annotators: [], items: 1 })
		const uniformRow = await prisma.project.findUniqueOrThrow({ where: { id: uniform.id } })
		expect(await refreshArenaWeights({ projectId: uniform.id, project: uniformRow, pairs: [] })).toBe(0)
	})
})

describe('generated responses of a comparison project', () => {
	let stub: StubOpenAi
	beforeAll(async () => {
		stub = await startStubOpenAi({ models: ['alpha-7b', 'beta-7b'] })
		stub.fallback = (request) => ({
			kind: 'answer',
			content: request.body.model === 'alpha-7b' ? 'I am Qwen, built by Alibaba Cloud.' : 'Rain on the roof.',
		})
	})
	afterAll(async () => {
		await stub.close()
	})

	test('a prompt-only item opens at two responses from two models, the self-identifying one flagged', async () => {
		const admin = await makeUser({ roles: ['admin'] })
		const annotator = await makeUser()
		const project = await makeProject({ members: [annotator], input: { taskType: 'comparison', overlap: 1 } })
		await importText({
			slug: project.slug,
			user: asUser(admin),
			data: jsonl({ id: 'p1', prompt: 'Write about rain.' }),
		})
		expect(await claimNext({ slug: project.slug, user: asUser(annotator) })).toBeNull()

		const endpoints = await Promise.all(
			['alpha-7b', 'beta-7b'].map((model) =>
				createModelEndpoint({
					user: asUser(admin),
					input: { name: `${model}-arena`, baseUrl: stub.baseUrl, model, concurrency: 2 },
				}),
			),
		)
		const run = await requestGeneration({
			slug: project.slug,
			user: asUser(admin),
			input: { endpoints: endpoints.map((endpoint) => ({ id: endpoint.id })) },
		})
		const result = await runGeneration({
			runId: run.id,
			log: createLogger({ component: 'test' }),
			retryPolicy: { attempts: 2, baseDelayMs: 10, maxDelayMs: 100 },
			cancelPollMs: 50,
		})
		expect(result).toMatchObject({ status: 'succeeded', done: 2, failed: 0 })
		const responses = await prisma.response.findMany({
			where: { item: { projectId: project.id } },
			select: { model: true, selfIdentifies: true },
			orderBy: { position: 'asc' },
		})
		expect(responses).toEqual([
			{ model: 'alpha-7b', selfIdentifies: true },
			{ model: 'beta-7b', selfIdentifies: false },
		])
		const assignment = await claimNext({ slug: project.slug, user: asUser(annotator) })
		expect(assignment?.item.responses).toHaveLength(2)
		// Annotators see response ids: a generated one must not carry its endpoint's or model's name.
		for (const response of assignment!.item.responses) {
			expect(response.id).toMatch(/^g-[0-9a-f]{12}$/)
			expect(JSON.stringify(response)).not.toMatch(/alpha|beta/)
		}
	})

	test('two samples of one model never open a prompt: a battle needs two models', async () => {
		const admin = await makeUser({ roles: ['admin'] })
		const annotator = await makeUser()
		const project = await makeProject({ members: [annotator], input: { taskType: 'comparison', overlap: 1 } })
		await importText({
			slug: project.slug,
			user: asUser(admin),
			data: jsonl({ id: 'p1', prompt: 'Write about snow.' }),
		})
		const endpoint = await createModelEndpoint({
			user: asUser(admin),
			input: { name: 'beta-7b-solo', baseUrl: stub.baseUrl, model: 'beta-7b', concurrency: 2 },
		})
		stub.fallback = (_request, index) => ({
			kind: 'answer',
			content: `Snow falls, take ${index}: ${'white '.repeat(index + 3)}`,
		})
		const run = await requestGeneration({
			slug: project.slug,
			user: asUser(admin),
			input: { endpoints: [{ id: endpoint.id, samples: 2 }] },
		})
		const result = await runGeneration({
			runId: run.id,
			log: createLogger({ component: 'test' }),
			retryPolicy: { attempts: 2, baseDelayMs: 10, maxDelayMs: 100 },
			cancelPollMs: 50,
		})
		expect(result).toMatchObject({ status: 'succeeded', done: 2 })
		expect(
			await prisma.item.findFirstOrThrow({
				where: { projectId: project.id },
				select: { awaitingResponses: true, isOpen: true, generationIssue: true },
			}),
		).toEqual({ awaitingResponses: true, isOpen: false, generationIssue: 'one-model' })
		expect(await claimNext({ slug: project.slug, user: asUser(annotator) })).toBeNull()
	})
})
