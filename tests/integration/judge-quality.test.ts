// The AI judge end to end: real judge runs against scripted stub judges, then the analytics
// refresh, which measures each judge with the same code as people. The three judges of issue #14:
// one that always prefers the first-shown response, one that prefers the longer, and an honest one.
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { AnnotatorsSnapshot, AgreementSnapshot } from '#app/modules/analytics/analytics.types.ts'
import { refreshProjectAnalytics } from '#app/modules/analytics/refresh-project-analytics.server.ts'
import { requestJudgeRun } from '#app/modules/judging/request-judge-run.server.ts'
import { runJudge } from '#app/modules/judging/run-judge.server.ts'
import { createModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createLogger } from '#app/utils/logger.server.ts'
import { judgeAll } from '#tests/factories/analytics.ts'
import { importText, jsonl } from '#tests/factories/imports.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { startStubOpenAi, type StubOpenAi } from '#tests/helpers/stub-openai.ts'

const ITEMS = 24
const MODES = { 'first-7b': 'first', 'longer-7b': 'longer', 'honest-7b': 'honest' } as const
let stub: StubOpenAi

beforeAll(async () => {
	stub = await startStubOpenAi({ models: Object.keys(MODES) })
	stub.fallback = (request) => ({ kind: 'judge', mode: MODES[request.body.model as keyof typeof MODES] })
})
afterAll(async () => {
	await stub.close()
})

test('a first-position judge is inconsistent and position-biased, a length judge length-biased, an honest judge agrees with people', async () => {
	const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
	const annotators = await Promise.all([1, 2, 3].map(() => makeUser()))
	const project = await makeProject({ members: annotators, input: { overlap: 3, randomizeOrder: true } as never })
	// r2 is always the longer answer; people prefer the response marked "[better]", r1 on odd items
	// and r2 on even ones, so length says nothing about their choice.
	const better = (n: number) => (n % 2 === 1 ? 'r1' : 'r2')
	const lines = Array.from({ length: ITEMS }, (_, i) => ({
		id: `item-${i + 1}`,
		prompt: `Question ${i + 1}`,
		responses: ['r1', 'r2'].map((id) => ({
			id,
			model: id === 'r1' ? 'terse-1b' : 'verbose-1b',
			content: `${id === 'r2' ? 'A longer and fuller answer, ' : 'Short: '}${i + 1}${better(i + 1) === id ? ' [better]' : ''}`,
		})),
	}))
	expect((await importText({ slug: project.slug, user: admin, data: jsonl(...lines) })).errors).toEqual([])
	for (const annotator of annotators) {
		await judgeAll({
			slug: project.slug,
			annotator,
			decide: (assignment) => {
				const n = Number(/(\d+)$/.exec(assignment.item.externalId)![1])
				const best = better(n)
				return { ranking: [[best], [best === 'r1' ? 'r2' : 'r1']], strength: 1 }
			},
		})
	}
	const humanBefore = await prisma.judgment.count({ where: { projectId: project.id } })
	expect(humanBefore).toBe(ITEMS * 3)

	const log = createLogger({ component: 'test' })
	for (const model of Object.keys(MODES)) {
		const endpoint = await createModelEndpoint({
			user: admin,
			input: { name: model, baseUrl: stub.baseUrl, model, concurrency: 4 },
		})
		const run = await requestJudgeRun({ slug: project.slug, user: admin, input: { endpointId: endpoint.id } })
		await runJudge({ runId: run.id, log, retryPolicy: { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 } })
		expect(await prisma.judgeRun.findUniqueOrThrow({ where: { id: run.id }, select: { status: true } })).toEqual({
			status: 'succeeded',
		})
	}
	// Every item judged by each judge, in both orders, and no item's human overlap moved.
	expect(await prisma.judgment.count({ where: { projectId: project.id, source: 'model' } })).toBe(ITEMS * 3)
	expect(await prisma.judgeCall.count({ where: { run: { projectId: project.id }, state: 'done' } })).toBe(ITEMS * 6)
	const counts = await prisma.item.findMany({ where: { projectId: project.id }, select: { judgmentCount: true } })
	expect(counts.every((item) => item.judgmentCount === 3)).toBe(true)

	await refreshProjectAnalytics({ projectId: project.id })
	const snapshot = async <T>(kind: string) =>
		(await prisma.analyticsSnapshot.findUniqueOrThrow({ where: { projectId_kind: { projectId: project.id, kind } } }))
			.data as T
	const { annotators: rows } = await snapshot<AnnotatorsSnapshot>('annotators')
	const judge = (name: string) => rows.find((row) => row.kind === 'model' && row.displayName.startsWith(name))!

	const first = judge('first-7b')
	expect(first.positionInconsistency).toBe(1)
	expect(first.flags).toContain('position-bias')
	// Its judgments are all ties, so it never agrees with people's strict choices.
	expect(first.humanConsensus?.percent).toBe(0)

	const longer = judge('longer-7b')
	expect(longer.positionInconsistency).toBe(0)
	expect(longer.flags).toContain('length-bias')
	expect(longer.flags).not.toContain('position-bias')

	const honest = judge('honest-7b')
	expect(honest.positionInconsistency).toBe(0)
	expect(honest.flags).toEqual([])
	expect(honest.humanConsensus).toMatchObject({ items: ITEMS, percent: 1, kappa: 1 })
	expect(honest.humanConsensus!.kappaCiLow).not.toBeNull()

	// People's rows and figures are people's alone.
	expect(rows.filter((row) => row.kind === 'human')).toHaveLength(3)
	const agreement = await snapshot<AgreementSnapshot>('agreement')
	expect(agreement.judgments).toBe(humanBefore)
})
