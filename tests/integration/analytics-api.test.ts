import { describe, expect, test } from 'vitest'
import { action as adjudicationAction, loader as adjudicationLoader } from '#app/routes/api/item-adjudication.ts'
import { loader as agreementLoader } from '#app/routes/api/project-agreement.ts'
import { loader as annotatorsLoader } from '#app/routes/api/project-annotators.ts'
import { loader as leaderboardLoader } from '#app/routes/api/project-leaderboard.ts'
import { loader as pageLoader } from '#app/routes/project-leaderboard.tsx'
import { loader as queueLoader } from '#app/routes/api/project-review-queue.ts'
import { loader as downloadLoader } from '#app/routes/project-analytics-download.ts'
import { action as qualityAction, loader as qualityLoader } from '#app/routes/project-quality.tsx'
import { action as reviewItemAction, loader as reviewItemLoader } from '#app/routes/project-review-item.tsx'
import { loader as reviewProjectsLoader } from '#app/routes/review.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { itemNumber, judgeAll, prefer } from '#tests/factories/analytics.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUser, makeUserWithSession, makeUserWithToken } from '#tests/factories/users.ts'

type Json = Record<string, unknown> & { errors?: { path: string; message: string }[] }

async function call(
	handler: (args: never) => Promise<Response>,
	path: string,
	options: Parameters<typeof apiRequest>[1] = {},
	params: Record<string, string> = {},
) {
	const response = await callRoute(handler, apiRequest(path, options), params)
	const text = await response.text()
	return {
		status: response.status,
		type: response.headers.get('Content-Type'),
		body: (text ? JSON.parse(text) : null) as Json,
	}
}

/** A pairwise project whose first item is disputed; the models are "=alpha" (a formula-looking name) and "beta". */
async function disputedProject() {
	const annotators = await Promise.all([1, 2, 3].map(() => makeUser()))
	const [admin, engineer, reviewer, outsider, annotator] = await Promise.all([
		makeUserWithToken({ roles: ['admin'] }),
		makeUserWithToken({ roles: ['engineer'] }),
		makeUserWithToken({ roles: ['reviewer'] }),
		makeUserWithToken({ roles: ['reviewer'] }),
		makeUserWithToken({ roles: ['annotator'] }),
	])
	const project = await makeProject({
		members: [...annotators, { id: reviewer.user.id, role: 'reviewer' }, { id: annotator.user.id }],
		items: 6,
		input: { overlap: 3, randomizeOrder: false },
	})
	await prisma.response.updateMany({ where: { item: { projectId: project.id }, key: 'r1' }, data: { model: '=alpha' } })
	await prisma.response.updateMany({ where: { item: { projectId: project.id }, key: 'r2' }, data: { model: 'beta' } })
	for (const [i, user] of annotators.entries()) {
		await judgeAll({
			slug: project.slug,
			annotator: user,
			decide: (assignment) => ({
				ranking: prefer(assignment, itemNumber(assignment) === 1 && i === 2 ? 'r2' : 'r1'),
				strength: 1,
			}),
		})
	}
	const item = await prisma.item.findFirstOrThrow({ where: { projectId: project.id, externalId: 'item-1' } })
	return { project, item, admin, engineer, reviewer, outsider, annotator }
}

const decision = { ranking: [['r2'], ['r1']], strength: 2, note: 'B is right.' }

describe('analytics API', () => {
	test('anonymous callers get 401 and annotators 403 on every endpoint, as problem+json', async () => {
		const { project, item, annotator } = await disputedProject()
		const slug = { slug: project.slug }
		for (const token of [undefined, annotator.token]) {
			const results = await Promise.all([
				call(agreementLoader, `/api/v1/projects/${project.slug}/agreement`, { token }, slug),
				call(annotatorsLoader, `/api/v1/projects/${project.slug}/annotators`, { token }, slug),
				call(leaderboardLoader, `/api/v1/projects/${project.slug}/leaderboard`, { token }, slug),
				call(queueLoader, `/api/v1/projects/${project.slug}/review-queue`, { token }, slug),
				call(
					adjudicationAction,
					`/api/v1/items/${item.id}/adjudication`,
					{ token, method: 'POST', body: decision },
					{ id: item.id },
				),
			])
			for (const result of results) {
				expect(result.status).toBe(token ? 403 : 401)
				expect(result.type).toBe('application/problem+json')
			}
		}
		expect(await prisma.adjudication.count({ where: { itemId: item.id } })).toBe(0)
	})

	test('engineers, admins and the project’s reviewers read every figure; reviewers of other projects do not', async () => {
		const { project, engineer, admin, reviewer, outsider } = await disputedProject()
		const slug = { slug: project.slug }
		for (const { token } of [engineer, admin, reviewer]) {
			const agreement = await call(agreementLoader, `/api/v1/projects/${project.slug}/agreement`, { token }, slug)
			expect(agreement.status).toBe(200)
			expect(agreement.body).toMatchObject({ status: 'ready', taskType: 'pairwise', judgments: 18, items: 6 })
			expect((agreement.body.figures as { key: string }[]).map((figure) => figure.key)).toContain('choice-nominal')
			const annotators = await call(annotatorsLoader, `/api/v1/projects/${project.slug}/annotators`, { token }, slug)
			expect(annotators.status).toBe(200)
			expect(annotators.body.annotators).toHaveLength(3)
			const leaderboard = await call(leaderboardLoader, `/api/v1/projects/${project.slug}/leaderboard`, { token }, slug)
			expect(leaderboard.status).toBe(200)
			expect((leaderboard.body.rows as { model: string }[])[0]!.model).toBe('=alpha')
			const queue = await call(queueLoader, `/api/v1/projects/${project.slug}/review-queue`, { token }, slug)
			expect(queue.status).toBe(200)
			expect(queue.body).toMatchObject({ openCount: 1, total: 1, items: [{ externalId: 'item-1', votes: 3 }] })
			expect(typeof queue.body.computedAt).toBe('string')
		}
		const hidden = await call(
			agreementLoader,
			`/api/v1/projects/${project.slug}/agreement`,
			{ token: outsider.token },
			slug,
		)
		expect(hidden.status).toBe(404)
		const bad = await call(
			queueLoader,
			`/api/v1/projects/${project.slug}/review-queue?status=closed`,
			{ token: engineer.token },
			slug,
		)
		expect(bad.status).toBe(422)
		expect(bad.body.errors?.[0]?.path).toBe('status')
	})

	test('reviewers of the project and admins adjudicate through the API; engineers and other reviewers cannot', async () => {
		const { project, item, engineer, admin, reviewer, outsider } = await disputedProject()
		const path = `/api/v1/items/${item.id}/adjudication`
		const params = { id: item.id }
		expect(
			(await call(adjudicationAction, path, { token: engineer.token, method: 'POST', body: decision }, params)).status,
		).toBe(403)
		expect(
			(await call(adjudicationAction, path, { token: outsider.token, method: 'POST', body: decision }, params)).status,
		).toBe(404)
		const invalid = await call(
			adjudicationAction,
			path,
			{ token: reviewer.token, method: 'POST', body: { ranking: [['r2']], note: '' } },
			params,
		)
		expect(invalid.status).toBe(422)
		expect(invalid.body.errors?.map((error) => error.path)).toEqual(expect.arrayContaining(['note']))
		const created = await call(
			adjudicationAction,
			path,
			{ token: reviewer.token, method: 'POST', body: decision },
			params,
		)
		expect(created.status).toBe(201)
		expect(created.body).toMatchObject({
			adjudication: { itemId: item.id, note: 'B is right.' },
			consensus: { adjudicated: true, ranking: [['r2'], ['r1']] },
		})
		expect(
			(await call(adjudicationAction, path, { token: admin.token, method: 'POST', body: decision }, params)).status,
		).toBe(201)
		expect((await call(adjudicationLoader, path, { token: admin.token }, params)).status).toBe(405)
		const queue = await call(
			queueLoader,
			`/api/v1/projects/${project.slug}/review-queue?status=adjudicated`,
			{ token: engineer.token },
			{ slug: project.slug },
		)
		expect(queue.body).toMatchObject({
			openCount: 0,
			adjudicatedCount: 1,
			items: [{ itemId: item.id, adjudicated: true }],
		})
	})
})

describe('analytics pages', () => {
	const uiRequest = (path: string, cookie: string, form?: Record<string, string>) =>
		new Request(
			`http://localhost${path}`,
			form
				? { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams(form) }
				: { headers: { Cookie: cookie } },
		)

	async function thrownStatus(promise: Promise<unknown>) {
		try {
			await promise
		} catch (error) {
			if (error instanceof Response) return error.status
			return (error as { init?: { status?: number } }).init?.status ?? 500
		}
		throw new Error('expected the route to throw')
	}

	test('every table downloads as CSV, with formula-looking text defused', async () => {
		const { project } = await disputedProject()
		const { cookie } = await makeUserWithSession({ roles: ['engineer'] })
		const response = (await callRoute(
			downloadLoader,
			uiRequest(`/projects/${project.slug}/analytics/leaderboard?format=csv`, cookie),
			{ slug: project.slug, table: 'leaderboard' },
		)) as Response
		expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
		expect(response.headers.get('Content-Disposition')).toMatch(
			new RegExp(`attachment; filename="${project.slug}-leaderboard-.*\\.csv"`),
		)
		const lines = (await response.text()).trimEnd().split('\r\n')
		expect(lines[0]).toBe('rank,model,rating,ci_low,ci_high,battles')
		expect(lines[1]).toMatch(/^1,'=alpha,\d{4}\.\d+,/)
		for (const table of ['agreement', 'annotators', 'annotator-pairs', 'review-queue', 'model-pairs', 'win-rates']) {
			const file = (await callRoute(downloadLoader, uiRequest(`/projects/${project.slug}/analytics/${table}`, cookie), {
				slug: project.slug,
				table,
			})) as Response
			expect(file.status, table).toBe(200)
			expect((await file.text()).split('\r\n').length, table).toBeGreaterThan(2)
		}
		expect(
			await thrownStatus(
				callRoute(downloadLoader, uiRequest(`/projects/${project.slug}/analytics/secrets`, cookie), {
					slug: project.slug,
					table: 'secrets',
				}),
			),
		).toBe(400)
	})

	test('pages check their own permissions: annotators are refused, engineers read but do not recompute or adjudicate', async () => {
		const { project, item, reviewer } = await disputedProject()
		const annotator = await makeUserWithSession({ roles: ['annotator'] })
		const engineer = await makeUserWithSession({ roles: ['engineer'] })
		const reviewerSession = await makeUserWithSession({ roles: ['reviewer'] })
		await prisma.projectMember.create({
			data: { projectId: project.id, userId: reviewerSession.user.id, role: 'reviewer' },
		})
		const slug = { slug: project.slug }
		expect(
			await thrownStatus(
				callRoute(qualityLoader, uiRequest(`/projects/${project.slug}/quality`, annotator.cookie), slug),
			),
		).toBe(403)
		expect(await thrownStatus(callRoute(reviewProjectsLoader, uiRequest('/review', engineer.cookie)))).toBe(403)
		const quality = (await callRoute(
			qualityLoader,
			uiRequest(`/projects/${project.slug}/quality`, engineer.cookie),
			slug,
		)) as { canRecompute: boolean; table: { total: number } }
		expect(quality).toMatchObject({ canRecompute: false, table: { total: 3 } })
		expect(
			await thrownStatus(
				callRoute(
					qualityAction,
					uiRequest(`/projects/${project.slug}/quality`, engineer.cookie, { intent: 'recompute' }),
					slug,
				),
			),
		).toBe(403)
		expect(
			await callRoute(
				qualityAction,
				uiRequest(`/projects/${project.slug}/quality`, reviewerSession.cookie, { intent: 'recompute' }),
				slug,
			),
		).toMatchObject({ status: 'refreshed' })

		const params = { slug: project.slug, itemId: item.id }
		const view = (await callRoute(
			reviewItemLoader,
			uiRequest(`/projects/${project.slug}/review/${item.id}`, engineer.cookie),
			params,
		)) as { canAdjudicate: boolean }
		expect(view.canAdjudicate).toBe(false)
		const form = { responses: 'r1,r2', decision: 'second', strength: '3', note: 'B answers the question.' }
		expect(
			await thrownStatus(
				callRoute(
					reviewItemAction,
					uiRequest(`/projects/${project.slug}/review/${item.id}`, engineer.cookie, form),
					params,
				),
			),
		).toBe(403)
		const invalid = await callRoute(
			reviewItemAction,
			uiRequest(`/projects/${project.slug}/review/${item.id}`, reviewerSession.cookie, { ...form, note: '' }),
			params,
		)
		expect(invalid).toMatchObject({
			data: { errors: { note: [expect.stringMatching(/note is required/)] } },
			init: { status: 422 },
		})
		const saved = await thrownStatus(
			callRoute(
				reviewItemAction,
				uiRequest(`/projects/${project.slug}/review/${item.id}`, reviewerSession.cookie, form),
				params,
			),
		)
		expect(saved).toBe(302)
		const adjudication = await prisma.adjudication.findFirstOrThrow({ where: { itemId: item.id } })
		expect(adjudication).toMatchObject({
			ranking: [['r2'], ['r1']],
			strength: 3,
			note: 'B answers the question.',
			reviewerId: reviewerSession.user.id,
		})
		expect(reviewer.user.id).not.toBe(reviewerSession.user.id)

		const list = (await callRoute(reviewProjectsLoader, uiRequest('/review', reviewerSession.cookie))) as {
			projects: { slug: string; openCount: number | null; adjudicatedCount: number | null }[]
		}
		expect(list.projects).toEqual([expect.objectContaining({ slug: project.slug, openCount: 0, adjudicatedCount: 1 })])
	})
})

describe('leaderboard view switches', () => {
	test('the API and the page show the style-controlled view with its coefficients in words, and reject a bad switch', async () => {
		const { project, engineer } = await disputedProject()
		const slug = { slug: project.slug }
		const responses = await prisma.response.findMany({
			where: { item: { projectId: project.id }, key: 'r2' },
			select: { id: true },
		})
		for (const [i, response] of responses.entries())
			await prisma.response.update({ where: { id: response.id }, data: { content: 'More words. '.repeat(1 + i * 3) } })
		const controlled = await call(
			leaderboardLoader,
			`/api/v1/projects/${project.slug}/leaderboard?style=true&position=true`,
			{ token: engineer.token },
			slug,
		)
		expect(controlled.status).toBe(200)
		const view = controlled.body.view as {
			control: string
			coefficients: { feature: string; description: string }[]
			battles: number
		}
		expect(view.control).toBe('style-position')
		expect(view.battles).toBe(18)
		expect(view.coefficients.map((c) => c.feature)).toEqual(['length', 'headers', 'lists', 'bold', 'position'])
		expect(view.coefficients[0]!.description).toMatch(
			/answers win (more|less) often: [+−]\d+\.\d Elo per standard deviation of length/,
		)
		expect((controlled.body.rows as { model: string }[]).map((row) => row.model).sort()).toEqual(['=alpha', 'beta'])

		const plain = await call(
			leaderboardLoader,
			`/api/v1/projects/${project.slug}/leaderboard`,
			{ token: engineer.token },
			slug,
		)
		expect(plain.body.view).toBeUndefined()
		expect(Object.keys((plain.body.controls as Record<string, unknown>) ?? {}).sort()).toEqual([
			'position',
			'style',
			'style-position',
		])

		const bad = await call(
			leaderboardLoader,
			`/api/v1/projects/${project.slug}/leaderboard?style=maybe`,
			{ token: engineer.token },
			slug,
		)
		expect(bad.status).toBe(422)
		expect(bad.body.errors?.[0]?.path).toBe('style')

		const { cookie } = await makeUserWithSession({ roles: ['engineer'] })
		const page = (await callRoute(
			pageLoader,
			new Request(`http://localhost/projects/${project.slug}/leaderboard?style=true`, { headers: { Cookie: cookie } }),
			slug,
		)) as {
			view: { control: string; coefficients: unknown[] }
			leaderboard: { controls?: unknown }
		}
		expect(page.view.control).toBe('style')
		expect(page.view.coefficients).toHaveLength(4)
		expect(page.leaderboard.controls).toBeUndefined()
	})
})
