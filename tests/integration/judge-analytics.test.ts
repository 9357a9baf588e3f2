import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { AnalyticsKind, AnnotatorRow, SnapshotData } from '#app/modules/analytics/analytics.types.ts'
import { refreshProjectAnalytics } from '#app/modules/analytics/refresh-project-analytics.server.ts'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { listMyJudgments } from '#app/modules/assignments/history.server.ts'
import { workspaceProgress } from '#app/modules/assignments/workspace.server.ts'
import { openApiDocument } from '#app/modules/api/openapi.ts'
import { ExportRequestSchema } from '#app/modules/exports/export.schema.ts'
import { getProjectCounts } from '#app/modules/projects/project-stats.server.ts'
import { loader as annotateEditLoader } from '#app/routes/annotate-edit.tsx'
import { loader as annotateHistoryLoader } from '#app/routes/annotate-history.tsx'
import { loader as annotateLoader } from '#app/routes/annotate.tsx'
import { loader as meJudgmentsLoader } from '#app/routes/api/me-judgments.ts'
import { loader as annotatorsLoader } from '#app/routes/api/project-annotators.ts'
import { loader as projectJudgmentsLoader } from '#app/routes/api/project-judgments.ts'
import { loader as dashboardLoader } from '#app/routes/project-dashboard.tsx'
import { loader as qualityLoader } from '#app/routes/project-quality.tsx'
import { loader as reviewItemLoader } from '#app/routes/project-review-item.tsx'
import { createApiToken } from '#app/modules/auth/api-token.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { itemNumber, judgeAll, prefer } from '#tests/factories/analytics.ts'
import { judgeItems } from '#tests/factories/judges.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUser, makeUserWithSession, makeUserWithToken } from '#tests/factories/users.ts'
import { exportNow, jsonlRows } from './helpers/exports.ts'

const exportRoot = await mkdtemp(path.join(tmpdir(), 'quorum-judge-analytics-'))
process.env.EXPORT_DIR = exportRoot
afterAll(async () => {
	await rm(exportRoot, { recursive: true, force: true })
})

const ITEMS = 20
const NOW = new Date('2026-12-07T12:00:00.000Z')
const SECRET = 'JUDGE-SECRET-RATIONALE'

/** The planted human answer: odd items prefer r1, even items r2 (r2 is always the longer response). */
const planted = (n: number) => (n % 2 === 1 ? 'r1' : 'r2')

const uiRequest = (url: string, cookie: string) =>
	new Request(`http://localhost${url}`, { headers: { Cookie: cookie } })
const dataOf = <T>(result: T) => ((result as { data?: unknown }).data ?? result) as T extends { data: infer D } ? D : T

async function thrownStatus(promise: Promise<unknown>) {
	try {
		await promise
	} catch (error) {
		if (error instanceof Response) return error.status
		const init = (error as { init?: { status?: number } }).init
		if (init?.status) return init.status
		throw error
	}
	throw new Error('expected the route to throw')
}

/** A pairwise project of 20 items (r2 a little longer than r1) judged by two annotators who both give the planted answer. */
async function judgedProject({ judging = {} }: { judging?: Record<string, unknown> } = {}) {
	const annotators = await Promise.all([1, 2].map(() => makeUser()))
	const project = await makeProject({
		members: annotators,
		items: ITEMS,
		input: { overlap: 2, randomizeOrder: true },
	})
	if (Object.keys(judging).length > 0)
		await prisma.project.update({ where: { id: project.id }, data: { judging: judging as object } })
	for (const annotator of annotators) {
		await judgeAll({
			slug: project.slug,
			annotator,
			decide: (assignment) => ({ ranking: prefer(assignment, planted(itemNumber(assignment))), strength: 1 }),
		})
	}
	const items = await prisma.item.findMany({
		where: { projectId: project.id },
		orderBy: { seq: 'asc' },
		select: { id: true, externalId: true },
	})
	const numberOf = new Map(items.map((item) => [item.id, Number(/(\d+)$/.exec(item.externalId)![1])]))
	return { project, annotators, items, numberOf }
}

const ranked = (best: string, shown: string[]) => [[best], shown.filter((key) => key !== best)]

/** The three judges of the issue: first-shown, longer-preferring, and honest (agreeing with people but on item 2). */
async function addJudges({ projectId, items }: { projectId: string; items: { id: string; externalId: string }[] }) {
	const itemIds = items.map((item) => item.id)
	const number = (index: number) => Number(/(\d+)$/.exec(items[index]!.externalId)![1])
	const first = await judgeItems({
		projectId,
		itemIds,
		name: 'First-shown judge',
		verdict: (shown) => ({ ranking: ranked(shown[0]!, shown), confidence: 0.9, rationale: SECRET }),
	})
	const longer = await judgeItems({
		projectId,
		itemIds,
		name: 'Longer judge',
		verdict: (shown) => ({ ranking: ranked('r2', shown), confidence: 0.8 }),
	})
	const honest = await judgeItems({
		projectId,
		itemIds,
		name: 'Honest judge',
		verdict: (shown, _order, index) => {
			const n = number(index)
			const best = n === 2 ? 'r1' : planted(n)
			return { ranking: ranked(best, shown), confidence: 0.95, rationale: `Item ${n}: ${best} is right.` }
		},
	})
	return { first, longer, honest }
}

async function snapshots(projectId: string) {
	const rows = await prisma.analyticsSnapshot.findMany({ where: { projectId } })
	return Object.fromEntries(rows.map((row) => [row.kind, row.data])) as unknown as Pick<SnapshotData, AnalyticsKind>
}

const humanRows = (data: Pick<SnapshotData, AnalyticsKind>) =>
	data.annotators.annotators.filter((row) => row.kind === 'human')

describe('AI judges as analytics sees them', () => {
	test('the three judges: position bias, length bias, and an honest judge agreeing with people', async () => {
		const { project, items } = await judgedProject()
		const { first, longer, honest } = await addJudges({ projectId: project.id, items })
		await refreshProjectAnalytics({ projectId: project.id, now: NOW })
		const { annotators } = await snapshots(project.id)
		const row = (id: string) => annotators.annotators.find((entry) => entry.userId === id) as AnnotatorRow

		const positional = row(first.judge.id)
		expect(positional).toMatchObject({ kind: 'model', judgments: ITEMS, positionInconsistency: 1 })
		// Both calls of every item chose the response shown first.
		expect(positional).toMatchObject({ positionTrials: 2 * ITEMS, positionRate: 1, positionExpected: 0.5 })
		expect(positional.flags).toContain('position-bias')
		expect(positional.flags).not.toContain('length-bias')

		const lengthy = row(longer.judge.id)
		expect(lengthy).toMatchObject({ kind: 'model', positionInconsistency: 0, lengthTrials: ITEMS, lengthRate: 1 })
		expect(lengthy.flags).toContain('length-bias')
		expect(lengthy.flags).not.toContain('position-bias')
		expect(lengthy.positionRate).toBe(0.5)

		const fair = row(honest.judge.id)
		expect(fair.flags).toEqual([])
		expect(fair.positionInconsistency).toBe(0)
		const agreement = fair.humanConsensus!
		expect(agreement.items).toBe(ITEMS)
		expect(agreement.percent).toBeCloseTo(19 / 20, 10)
		expect(agreement.kappa).toBeGreaterThan(0.85)
		expect(agreement.kappaCiLow).not.toBeNull()
		expect(agreement.kappaCiHigh).not.toBeNull()
		expect(agreement.kappaCiLow!).toBeLessThanOrEqual(agreement.kappa!)
		expect(agreement.kappaCiHigh!).toBeGreaterThanOrEqual(agreement.kappa!)
		expect(agreement.percentCiLow!).toBeLessThan(agreement.percentCiHigh!)
		expect(agreement.bootstrapRounds).toBeGreaterThan(0)
		// A judge that always says "the first one" agrees with people only by chance; its ties agree with no one.
		expect(positional.humanConsensus!.percent).toBe(0)
		expect(lengthy.humanConsensus!.percent).toBeCloseTo(0.5, 1)

		// People are people, and are flagged by nothing the judges did.
		for (const human of humanRows({ annotators } as never)) {
			expect(human.kind).toBe('human')
			expect(human.positionInconsistency).toBeUndefined()
			expect(human.flags).not.toContain('length-bias')
		}
	})

	test('model judgments change no human figure until the project counts them', async () => {
		const { project, items } = await judgedProject()
		await refreshProjectAnalytics({ projectId: project.id, now: NOW })
		const before = await snapshots(project.id)
		const countsBefore = await getProjectCounts({ projectId: project.id, overlap: 2 })

		await addJudges({ projectId: project.id, items })
		await refreshProjectAnalytics({ projectId: project.id, now: NOW })
		const after = await snapshots(project.id)
		expect(after.agreement).toEqual(before.agreement)
		expect(after.leaderboard).toEqual(before.leaderboard)
		expect(after['dawid-skene']).toEqual(before['dawid-skene'])
		expect(after['review-queue']).toEqual(before['review-queue'])
		expect(humanRows(after)).toEqual(humanRows(before))
		expect(after.annotators.pairs).toEqual(before.annotators.pairs)
		expect(after.annotators.projectLengthRate).toEqual(before.annotators.projectLengthRate)
		expect(after.annotators.annotators.filter((row) => row.kind === 'model')).toHaveLength(3)
		expect(await getProjectCounts({ projectId: project.id, overlap: 2 })).toEqual(countsBefore)
		const reliabilities = await prisma.annotatorReliability.findMany({ where: { projectId: project.id } })
		const judgeIds = new Set(after.annotators.annotators.filter((row) => row.kind === 'model').map((row) => row.userId))
		expect(reliabilities.filter((entry) => judgeIds.has(entry.userId))).toEqual([])

		await prisma.project.update({ where: { id: project.id }, data: { judging: { includeInAnalytics: true } } })
		await refreshProjectAnalytics({ projectId: project.id, now: NOW })
		const counted = await snapshots(project.id)
		expect(counted.agreement.judgments).toBe(before.agreement.judgments + 3 * ITEMS)
		expect(counted.agreement.annotators).toBe(5)
		expect(counted.leaderboard.battles).toBeGreaterThan(before.leaderboard.battles)
		expect(counted['dawid-skene']).not.toEqual(before['dawid-skene'])
	})

	test("GET /judgments lists people's judgments unless asked, each with its source", async () => {
		const { project, items } = await judgedProject()
		await addJudges({ projectId: project.id, items })
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		const list = async (query: string) => {
			const response = await callRoute(
				projectJudgmentsLoader,
				apiRequest(`/api/v1/projects/${project.slug}/judgments?limit=1000${query}`, { token: engineer.token }),
				{ slug: project.slug },
			)
			expect(response.status).toBe(200)
			const body = (await response.json()) as { judgments: { source: string }[] }
			const counts: Record<string, number> = {}
			for (const judgment of body.judgments) counts[judgment.source] = (counts[judgment.source] ?? 0) + 1
			return counts
		}
		const judges = await prisma.judgment.count({ where: { projectId: project.id, source: 'model' } })
		expect(judges).toBeGreaterThan(0)
		expect(await list('')).toEqual({ human: 2 * ITEMS })
		expect(await list('&annotators=ai')).toEqual({ model: judges })
		expect(await list('&annotators=all')).toEqual({ human: 2 * ITEMS, model: judges })
	})

	test('GET /annotators lists judges with kind, position inconsistency and agreement with people', async () => {
		const { project, items } = await judgedProject()
		const { honest } = await addJudges({ projectId: project.id, items })
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		const response = await callRoute(
			annotatorsLoader,
			apiRequest(`/api/v1/projects/${project.slug}/annotators`, { token: engineer.token }),
			{ slug: project.slug },
		)
		expect(response.status).toBe(200)
		const body = (await response.json()) as { annotators: AnnotatorRow[] }
		expect(body.annotators.filter((row) => row.kind === 'human')).toHaveLength(2)
		const judge = body.annotators.find((row) => row.userId === honest.judge.id)!
		expect(judge).toMatchObject({ kind: 'model', displayName: 'Honest judge', positionInconsistency: 0 })
		expect(judge.humanConsensus).toMatchObject({ items: ITEMS, percent: 0.95 })
	})

	test('the quality page has an AI judges section, and says so when no judge has run', async () => {
		const { project, items } = await judgedProject()
		const engineer = await makeUserWithSession({ roles: ['engineer'] })
		const empty = dataOf(
			await callRoute(qualityLoader, uiRequest(`/projects/${project.slug}/quality`, engineer.cookie), {
				slug: project.slug,
			}),
		)
		expect(empty.judges).toEqual([])
		expect(empty.table.rows).toHaveLength(2)

		await addJudges({ projectId: project.id, items })
		await refreshProjectAnalytics({ projectId: project.id })
		const quality = dataOf(
			await callRoute(qualityLoader, uiRequest(`/projects/${project.slug}/quality`, engineer.cookie), {
				slug: project.slug,
			}),
		)
		expect(quality.judges.map((row) => row.displayName)).toEqual(['First-shown judge', 'Honest judge', 'Longer judge'])
		// The annotator table and the heatmap stay people's.
		expect(quality.table.rows.every((row) => row.kind === 'human')).toBe(true)
		expect(quality.everyone).toHaveLength(2)
	})
})

describe('exports choose whose judgments', () => {
	test('people only by default; AI judges only with "ai"; both with "all"; raw rows carry the source', async () => {
		const { project, items } = await judgedProject()
		const { honest } = await addJudges({ projectId: project.id, items })
		const engineer = await makeUser({ roles: ['engineer'] })
		const run = async (annotators?: 'human' | 'ai' | 'all') => {
			const done = await exportNow({
				slug: project.slug,
				user: asSessionUser(engineer),
				exportRoot,
				request: { format: 'raw', options: { files: ['jsonl'], ...(annotators ? { annotators } : {}) } },
			})
			expect(done.view.status).toBe('succeeded')
			return { ...done, rows: await jsonlRows(path.join(done.dir, 'data', 'train-00000-of-00001.jsonl')) }
		}
		const people = await run()
		expect(people.rows).toHaveLength(2 * ITEMS)
		expect(new Set(people.rows.map((row) => row.source))).toEqual(new Set(['human']))
		expect(people.manifest.options).not.toHaveProperty('annotators')

		const ai = await run('ai')
		expect(ai.rows).toHaveLength(3 * ITEMS)
		expect(new Set(ai.rows.map((row) => row.source))).toEqual(new Set(['model']))
		expect((ai.manifest.options as { annotators?: string }).annotators).toBe('ai')
		const inconsistent = ai.rows.filter((row) => JSON.stringify(row.ranking) === JSON.stringify([['r1', 'r2']]))
		expect(inconsistent).toHaveLength(ITEMS)

		const all = await run('all')
		expect(all.rows).toHaveLength(5 * ITEMS)
		expect(all.rows.filter((row) => row.source === 'model')).toHaveLength(3 * ITEMS)
		expect(honest.judge.id).toBeTruthy()

		// A preference format, by default, from people's judgments alone: one pair per judgment.
		const trl = await exportNow({
			slug: project.slug,
			user: asSessionUser(engineer),
			exportRoot,
			request: { format: 'trl-preference', options: { files: ['jsonl'], dedupe: false } },
		})
		expect(await jsonlRows(path.join(trl.dir, 'data', 'train-00000-of-00001.jsonl'))).toHaveLength(2 * ITEMS)
	})

	test('the OpenAPI document has the option, and the judges in the annotators answer', () => {
		const document = openApiDocument({ serverUrl: 'http://localhost', version: 'test' })
		const schemas = document.components.schemas as Record<string, { properties?: Record<string, unknown> }>
		expect(schemas.ExportOptions?.properties?.annotators).toMatchObject({
			enum: ['human', 'ai', 'all'],
			default: 'human',
		})
		const annotators = document.paths['/projects/{slug}/annotators'] as {
			get: { responses: { 200: { content: { 'application/json': { schema: unknown } } } } }
		}
		const row = (
			annotators.get.responses[200].content['application/json'].schema as {
				properties: { annotators: { items: { properties: Record<string, unknown> } } }
			}
		).properties.annotators.items.properties
		expect(row.kind).toMatchObject({ enum: ['human', 'model'] })
		expect(Object.keys(row)).toEqual(expect.arrayContaining(['positionInconsistency', 'humanConsensus']))
	})

	test('the option is validated like the others', () => {
		expect(ExportRequestSchema.parse({ format: 'raw' }).options.annotators).toBe('human')
		const bad = ExportRequestSchema.safeParse({ format: 'raw', options: { annotators: 'robots' } })
		expect(bad.success).toBe(false)
		expect(bad.error!.issues[0]!.path).toEqual(['options', 'annotators'])
	})
})

describe('blind annotators, informed reviewers', () => {
	test("annotators never see a judge's verdict; reviewers see each judge's on the review page", async () => {
		const annotator = await makeUserWithSession({ roles: ['annotator'] })
		const { token } = await createApiToken({ userId: annotator.user.id, name: 'test' })
		const reviewer = await makeUserWithSession({ roles: ['reviewer'] })
		const project = await makeProject({
			members: [{ id: annotator.user.id }, { id: reviewer.user.id, role: 'reviewer' }],
			items: 2,
			input: { overlap: 1 },
		})
		const items = await prisma.item.findMany({ where: { projectId: project.id }, orderBy: { seq: 'asc' } })
		// The judge judges both items first, and is position-inconsistent on the first.
		const { judge } = await judgeItems({
			projectId: project.id,
			itemIds: items.map((item) => item.id),
			name: 'Secret judge',
			verdict: (shown, order, index) => ({
				ranking: ranked(index === 0 ? shown[0]! : 'r2', shown),
				confidence: order === 0 ? 0.7 : 0.6,
				rationale: `${SECRET} ${order}`,
			}),
		})
		const judgeJudgment = await prisma.judgment.findFirstOrThrow({ where: { userId: judge.id, itemId: items[1]!.id } })
		await prisma.judgment.update({ where: { id: judgeJudgment.id }, data: { rationale: SECRET } })

		const leaks = (value: unknown) => {
			const text = JSON.stringify(value)
			return text.includes(SECRET) || text.includes(judge.id) || text.includes('Secret judge')
		}
		// The workspace, while judging: the item served, the progress, the last judgment.
		const workspace = dataOf(
			await callRoute(annotateLoader, uiRequest(`/projects/${project.slug}/annotate`, annotator.cookie), {
				slug: project.slug,
			}),
		)
		expect(leaks(workspace)).toBe(false)
		const assignment = await claimNext({ slug: project.slug, user: asSessionUser(annotator.user) })
		expect(assignment).not.toBeNull()
		expect(leaks(assignment)).toBe(false)
		expect(
			await judgeAll({
				slug: project.slug,
				annotator: annotator.user,
				decide: (served) => {
					expect(leaks(served)).toBe(false)
					return { ranking: prefer(served, 'r1'), strength: 1, rationale: 'mine' }
				},
			}),
		).toBe(2)
		// History and edit: only the caller's own judgments.
		const own = await listMyJudgments({ user: asSessionUser(annotator.user), projectSlug: project.slug })
		expect(own.judgments).toHaveLength(2)
		expect(leaks(own)).toBe(false)
		const history = dataOf(
			await callRoute(
				annotateHistoryLoader,
				uiRequest(`/projects/${project.slug}/annotate/history`, annotator.cookie),
				{
					slug: project.slug,
				},
			),
		)
		expect(leaks(history)).toBe(false)
		expect(
			await thrownStatus(
				callRoute(
					annotateEditLoader,
					uiRequest(`/projects/${project.slug}/annotate/judgments/${judgeJudgment.id}`, annotator.cookie),
					{ slug: project.slug, id: judgeJudgment.id },
				),
			),
		).toBe(404)
		// The annotator API.
		const mine = await callRoute(meJudgmentsLoader, apiRequest('/api/v1/me/judgments', { token }))
		expect(mine.status).toBe(200)
		const mineBody = (await mine.json()) as { judgments: unknown[] }
		expect(mineBody.judgments).toHaveLength(2)
		expect(leaks(mineBody)).toBe(false)
		const all = await callRoute(
			projectJudgmentsLoader,
			apiRequest(`/api/v1/projects/${project.slug}/judgments`, { token }),
			{ slug: project.slug },
		)
		expect(all.status).toBe(403)
		expect(leaks(await all.text())).toBe(false)
		// Nor the review page.
		expect(
			await thrownStatus(
				callRoute(reviewItemLoader, uiRequest(`/projects/${project.slug}/review/${items[0]!.id}`, annotator.cookie), {
					slug: project.slug,
					itemId: items[0]!.id,
				}),
			),
		).toBe(403)

		const view = dataOf(
			await callRoute(
				reviewItemLoader,
				uiRequest(`/projects/${project.slug}/review/${items[0]!.id}`, reviewer.cookie),
				{
					slug: project.slug,
					itemId: items[0]!.id,
				},
			),
		)
		expect(view.judgments.map((judgment) => judgment.rationale)).toEqual(['mine'])
		expect(view.judges).toHaveLength(1)
		const verdict = view.judges[0]!
		expect(verdict).toMatchObject({ judge: 'Secret judge', positionInconsistent: true, confidence: 0.6 })
		expect(
			verdict.calls.map((call) => [call.order, call.displayOrder, call.ranking, call.confidence, call.rationale]),
		).toEqual([
			[0, ['r1', 'r2'], [['r1'], ['r2']], 0.7, `${SECRET} 0`],
			[1, ['r2', 'r1'], [['r2'], ['r1']], 0.6, `${SECRET} 1`],
		])
		// The judge's verdict is not a vote in the consensus people see.
		expect(view.consensus.votes).toBe(1)

		const second = dataOf(
			await callRoute(
				reviewItemLoader,
				uiRequest(`/projects/${project.slug}/review/${items[1]!.id}`, reviewer.cookie),
				{
					slug: project.slug,
					itemId: items[1]!.id,
				},
			),
		)
		expect(second.judges[0]).toMatchObject({ positionInconsistent: false, ranking: [['r2'], ['r1']] })
	})
})

describe('adaptive overlap', () => {
	test("the refresh scores people's judgments of items an AI judge also judged", async () => {
		const annotators = await Promise.all([1, 2].map(() => makeUser()))
		const project = await makeProject({
			members: annotators,
			items: 4,
			input: { overlap: { mode: 'adaptive', min: 2, max: 3, confidence: 0.999 } },
		})
		for (const annotator of annotators)
			await judgeAll({
				slug: project.slug,
				annotator,
				decide: (assignment) => ({ ranking: prefer(assignment, 'r1'), strength: 1 }),
			})
		const items = await prisma.item.findMany({ where: { projectId: project.id }, orderBy: { seq: 'asc' } })
		await judgeItems({
			projectId: project.id,
			itemIds: items.map((item) => item.id),
			verdict: (shown) => ({ ranking: ranked('r1', shown) }),
		})
		// Forget the posteriors the submissions left, so only the refresh can have written them.
		await prisma.item.updateMany({ where: { projectId: project.id }, data: { dsLogPost: [] } })
		await refreshProjectAnalytics({ projectId: project.id, now: NOW })
		const after = await prisma.item.findMany({ where: { projectId: project.id }, orderBy: { seq: 'asc' } })
		// Every item has its posterior from its two human judgments, and the judge's never count as overlap.
		expect(after.every((item) => item.dsLogPost.length === 4)).toBe(true)
		expect(after.map((item) => item.judgmentCount)).toEqual([2, 2, 2, 2])
	})
})

describe('progress and hybrid routing', () => {
	test('items waiting for responses are not complete in the workspace progress', async () => {
		const annotator = await makeUser()
		const project = await makeProject({ members: [annotator], items: 4, input: { overlap: 1 } })
		const items = await prisma.item.findMany({ where: { projectId: project.id }, orderBy: { seq: 'asc' } })
		await prisma.item.updateMany({
			where: { id: { in: [items[0]!.id, items[1]!.id] } },
			data: { awaitingResponses: true, isOpen: false },
		})
		expect(await workspaceProgress({ projectId: project.id, userId: annotator.id })).toMatchObject({
			itemsTotal: 4,
			itemsComplete: 0,
		})
		await judgeAll({
			slug: project.slug,
			annotator,
			decide: (assignment) => ({ ranking: prefer(assignment, 'r1'), strength: 1 }),
		})
		expect(await workspaceProgress({ projectId: project.id, userId: annotator.id })).toMatchObject({
			mine: 2,
			itemsTotal: 4,
			itemsComplete: 2,
		})
	})

	test('the dashboard shows the human judgments hybrid routing saved on a fixed-overlap project', async () => {
		const admin = await makeUserWithSession({ roles: ['admin'] })
		const project = await makeProject({ items: 5, input: { overlap: 3 } })
		const items = await prisma.item.findMany({ where: { projectId: project.id }, orderBy: { seq: 'asc' } })
		// The judge was sure on two items (1 spot check each) and unsure on one (full overlap, set explicitly).
		await prisma.item.updateMany({ where: { id: { in: [items[0]!.id, items[1]!.id] } }, data: { targetCount: 1 } })
		await prisma.item.update({ where: { id: items[2]!.id }, data: { targetCount: 3 } })
		const load = async () =>
			dataOf(
				await callRoute(dashboardLoader, uiRequest(`/projects/${project.slug}`, admin.cookie), { slug: project.slug }),
			)
		expect((await load()).routingSavings).toBeNull()

		await prisma.project.update({
			where: { id: project.id },
			data: { judging: { routing: { endpointId: crypto.randomUUID(), confidence: 0.8, overlapWhenJudgeSure: 1 } } },
		})
		expect((await load()).routingSavings).toEqual({ saved: 4, items: 2, fullOverlap: 15 })
	})
})
