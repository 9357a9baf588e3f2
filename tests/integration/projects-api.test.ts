import { describe, expect, test } from 'vitest'
import { loader as projectLoader, action as projectAction } from '#app/routes/api/project.ts'
import { loader as itemsLoader } from '#app/routes/api/project-items.ts'
import { loader as membersLoader, action as membersAction } from '#app/routes/api/project-members.ts'
import { loader as projectsLoader, action as projectsAction } from '#app/routes/api/projects.ts'
import { openApiDocument } from '#app/modules/api/openapi.ts'
import { prisma } from '#app/utils/db.server.ts'
import { judgeNext } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUser, makeUserWithToken } from '#tests/factories/users.ts'

type Json = Record<string, unknown> & { errors?: { path: string; message: string }[]; detail?: string }

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

async function tokens() {
	const [admin, engineer, reviewer, annotator] = await Promise.all([
		makeUserWithToken({ roles: ['admin'] }),
		makeUserWithToken({ roles: ['engineer'] }),
		makeUserWithToken({ roles: ['reviewer'] }),
		makeUserWithToken({ roles: ['annotator'] }),
	])
	return { admin, engineer, reviewer, annotator }
}

describe('authorization on every project endpoint', () => {
	test('anonymous callers get 401 problem+json everywhere', async () => {
		const project = await makeProject()
		const slug = { slug: project.slug }
		const calls = [
			call(projectsLoader, '/api/v1/projects'),
			call(projectsAction, '/api/v1/projects', { method: 'POST', body: { name: 'X', taskType: 'pairwise' } }),
			call(projectLoader, `/api/v1/projects/${project.slug}`, {}, slug),
			call(projectAction, `/api/v1/projects/${project.slug}`, { method: 'PATCH', body: { overlap: 2 } }, slug),
			call(membersLoader, `/api/v1/projects/${project.slug}/members`, {}, slug),
			call(
				membersAction,
				`/api/v1/projects/${project.slug}/members`,
				{ method: 'POST', body: { email: 'a@b.c', role: 'annotator' } },
				slug,
			),
			call(
				membersAction,
				`/api/v1/projects/${project.slug}/members`,
				{ method: 'DELETE', body: { email: 'a@b.c', role: 'annotator' } },
				slug,
			),
			call(itemsLoader, `/api/v1/projects/${project.slug}/items`, {}, slug),
		]
		for (const result of await Promise.all(calls)) {
			expect(result.status).toBe(401)
			expect(result.type).toBe('application/problem+json')
		}
	})

	test('annotators get 403 everywhere, even on projects they belong to', async () => {
		const { annotator } = await tokens()
		const project = await makeProject({ members: [{ id: annotator.user.id }] })
		const slug = { slug: project.slug }
		const token = annotator.token
		const calls = [
			call(projectsLoader, '/api/v1/projects', { token }),
			call(projectsAction, '/api/v1/projects', { token, method: 'POST', body: { name: 'X', taskType: 'pairwise' } }),
			call(projectLoader, `/api/v1/projects/${project.slug}`, { token }, slug),
			call(projectAction, `/api/v1/projects/${project.slug}`, { token, method: 'PATCH', body: { overlap: 2 } }, slug),
			call(membersLoader, `/api/v1/projects/${project.slug}/members`, { token }, slug),
			call(
				membersAction,
				`/api/v1/projects/${project.slug}/members`,
				{ token, method: 'POST', body: { email: 'a@b.c', role: 'annotator' } },
				slug,
			),
			call(itemsLoader, `/api/v1/projects/${project.slug}/items`, { token }, slug),
		]
		for (const result of await Promise.all(calls)) expect(result.status).toBe(403)
	})

	test('engineers and reviewers read but cannot change', async () => {
		const { engineer, reviewer } = await tokens()
		const project = await makeProject({ members: [{ id: reviewer.user.id, role: 'reviewer' }], items: 2 })
		const slug = { slug: project.slug }
		for (const { token } of [engineer, reviewer]) {
			expect((await call(projectLoader, `/api/v1/projects/${project.slug}`, { token }, slug)).status).toBe(200)
			expect((await call(itemsLoader, `/api/v1/projects/${project.slug}/items`, { token }, slug)).status).toBe(200)
			expect((await call(membersLoader, `/api/v1/projects/${project.slug}/members`, { token }, slug)).status).toBe(200)
			expect((await call(projectsLoader, '/api/v1/projects', { token })).status).toBe(200)
			expect(
				(
					await call(projectsAction, '/api/v1/projects', {
						token,
						method: 'POST',
						body: { name: 'X', taskType: 'pairwise' },
					})
				).status,
			).toBe(403)
			expect(
				(
					await call(
						projectAction,
						`/api/v1/projects/${project.slug}`,
						{ token, method: 'PATCH', body: { overlap: 2 } },
						slug,
					)
				).status,
			).toBe(403)
			const add = await call(
				membersAction,
				`/api/v1/projects/${project.slug}/members`,
				{ token, method: 'POST', body: { email: 'x@y.z', role: 'annotator' } },
				slug,
			)
			expect(add.status).toBe(403)
		}
		expect((await prisma.project.findUniqueOrThrow({ where: { id: project.id } })).overlap).toBe(3)
	})

	test('a reviewer only sees projects they review; another project is 404 to them', async () => {
		const { reviewer } = await tokens()
		const mine = await makeProject({ members: [{ id: reviewer.user.id, role: 'reviewer' }] })
		const other = await makeProject()
		const list = await call(projectsLoader, '/api/v1/projects?pageSize=200', { token: reviewer.token })
		const slugs = (list.body.projects as { slug: string }[]).map((project) => project.slug)
		expect(slugs).toContain(mine.slug)
		expect(slugs).not.toContain(other.slug)
		expect(
			(await call(projectLoader, `/api/v1/projects/${other.slug}`, { token: reviewer.token }, { slug: other.slug }))
				.status,
		).toBe(404)
	})
})

describe('POST /api/v1/projects', () => {
	test('creates a project with every setting and answers 201 with its slug', async () => {
		const { admin } = await tokens()
		const body = {
			name: 'Helpfulness — round 2',
			taskType: 'ranking',
			overlap: 5,
			leaseSeconds: 600,
			criteria: [{ name: 'Accuracy', description: 'Facts are right', min: 1, max: 7 }],
			flags: ['hallucination', 'unsafe'],
			useStrength: false,
			rationale: 'required',
			randomizeOrder: false,
			showModelNames: true,
			goldRate: 0.1,
		}
		const created = await call(projectsAction, '/api/v1/projects', { token: admin.token, method: 'POST', body })
		expect(created.status).toBe(201)
		expect(created.body).toMatchObject({
			...body,
			slug: 'helpfulness-round-2',
			status: 'draft',
			itemCount: 0,
			judgmentCount: 0,
		})
		expect(created.body.criteria).toEqual([{ name: 'Accuracy', description: 'Facts are right', min: 1, max: 7 }])
		const audit = await prisma.auditEvent.findFirst({
			where: { action: 'project.created', targetId: created.body.id as string },
		})
		expect(audit?.actorId).toBe(admin.user.id)
	})

	test('a bad body is 422 naming each field; a taken slug is 409', async () => {
		const { admin } = await tokens()
		const bad = await call(projectsAction, '/api/v1/projects', {
			token: admin.token,
			method: 'POST',
			body: { name: '', taskType: 'triples', overlap: 0, criteria: [{ name: 'A', min: 5, max: 1 }] },
		})
		expect(bad.status).toBe(422)
		expect(bad.body.errors?.map((error) => error.path).sort()).toEqual([
			'criteria[0].max',
			'name',
			'overlap',
			'taskType',
		])
		const first = await call(projectsAction, '/api/v1/projects', {
			token: admin.token,
			method: 'POST',
			body: { name: 'Dup', slug: 'dup-slug-api', taskType: 'pairwise' },
		})
		expect(first.status).toBe(201)
		const again = await call(projectsAction, '/api/v1/projects', {
			token: admin.token,
			method: 'POST',
			body: { name: 'Dup', slug: 'dup-slug-api', taskType: 'pairwise' },
		})
		expect(again.status).toBe(409)
	})

	test('only POST creates; other methods are 405', async () => {
		const { admin } = await tokens()
		const result = await call(projectsAction, '/api/v1/projects', { token: admin.token, method: 'PUT', body: {} })
		expect(result.status).toBe(405)
	})
})

describe('GET /api/v1/projects and /api/v1/projects/{slug}', () => {
	test('the project includes itemCount and judgmentCount', async () => {
		const { engineer } = await tokens()
		const annotator = await makeUser({ roles: ['annotator'] })
		const project = await makeProject({ members: [{ id: annotator.id }], items: 4, input: { overlap: 2 } })
		await judgeNext({ slug: project.slug, annotator })
		const result = await call(
			projectLoader,
			`/api/v1/projects/${project.slug}`,
			{ token: engineer.token },
			{ slug: project.slug },
		)
		expect(result.status).toBe(200)
		expect(result.body).toMatchObject({
			slug: project.slug,
			itemCount: 4,
			judgmentCount: 1,
			completion: 1 / 8,
			remainingJudgments: 7,
		})
	})

	test('lists with sorting, filters and pagination', async () => {
		const { admin } = await tokens()
		const tag = `zz-${Date.now()}`
		await makeProject({ input: { name: `${tag} small` }, items: 1 })
		await makeProject({ input: { name: `${tag} big`, taskType: 'ranking' }, items: 3 })
		const result = await call(projectsLoader, `/api/v1/projects?q=${tag}&sort=itemCount&dir=desc&pageSize=1`, {
			token: admin.token,
		})
		expect(result.status).toBe(200)
		expect(result.body.total).toBe(2)
		expect(
			(result.body.projects as { name: string; itemCount: number }[]).map((project) => [
				project.name,
				project.itemCount,
			]),
		).toEqual([[`${tag} big`, 3]])
		const ranking = await call(projectsLoader, `/api/v1/projects?q=${tag}&taskType=ranking`, { token: admin.token })
		expect((ranking.body.projects as { name: string }[]).map((project) => project.name)).toEqual([`${tag} big`])
		const badSort = await call(projectsLoader, '/api/v1/projects?sort=password', { token: admin.token })
		expect(badSort.status).toBe(422)
		expect(badSort.body.errors?.[0]?.path).toBe('sort')
	})
})

describe('PATCH /api/v1/projects/{slug}', () => {
	test('changes settings and status along draft → active ⇄ paused → archived', async () => {
		const { admin } = await tokens()
		const project = await makeProject({ input: { status: 'draft' } })
		const patch = (body: unknown) =>
			call(
				projectAction,
				`/api/v1/projects/${project.slug}`,
				{ token: admin.token, method: 'PATCH', body },
				{ slug: project.slug },
			)
		const changed = await patch({ overlap: 4, flags: ['unsafe'], rationale: 'off', status: 'active' })
		expect(changed.status).toBe(200)
		expect(changed.body).toMatchObject({ overlap: 4, flags: ['unsafe'], rationale: 'off', status: 'active' })
		expect((await patch({ status: 'paused' })).body.status).toBe('paused')
		expect((await patch({ status: 'active' })).body.status).toBe('active')
		expect((await patch({ status: 'draft' })).status).toBe(409)
		expect((await patch({ status: 'archived' })).body.status).toBe('archived')
		const reopen = await patch({ status: 'active' })
		expect(reopen.status).toBe(409)
		expect(reopen.body.detail).toMatch(/archived/)
		expect((await patch({ slug: 'renamed' })).status).toBe(422)
	})

	test('overlap takes a number or a policy; adaptive is for pairwise projects only', async () => {
		const { admin } = await tokens()
		const project = await makeProject()
		const patch = (body: unknown) =>
			call(
				projectAction,
				`/api/v1/projects/${project.slug}`,
				{ token: admin.token, method: 'PATCH', body },
				{ slug: project.slug },
			)
		const adaptive = await patch({ overlap: { mode: 'adaptive', min: 2, max: 5, confidence: 0.9 } })
		expect(adaptive.status).toBe(200)
		expect(adaptive.body).toMatchObject({
			overlap: 2,
			overlapPolicy: { mode: 'adaptive', min: 2, max: 5, confidence: 0.9 },
		})
		expect((await patch({ overlap: { mode: 'fixed', n: 4 } })).body).toMatchObject({
			overlap: 4,
			overlapPolicy: { mode: 'fixed', n: 4 },
		})
		const bad = await patch({ overlap: { mode: 'adaptive', min: 3, max: 2, confidence: 1.5 } })
		expect(bad.status).toBe(422)
		expect((bad.body.errors ?? []).map((error: { path: string }) => error.path)).toEqual(
			expect.arrayContaining([expect.stringMatching(/^overlap/)]),
		)
		const ranking = await call(projectsAction, '/api/v1/projects', {
			token: admin.token,
			method: 'POST',
			body: { name: 'Ranked', taskType: 'ranking', overlap: { mode: 'adaptive', min: 2, max: 5, confidence: 0.9 } },
		})
		expect(ranking.status).toBe(422)
		expect(ranking.body.errors).toEqual([{ path: 'overlap', message: expect.stringMatching(/pairwise/) }])
	})

	test('once judgments exist, taskType and removing criteria or flags are refused with the reason', async () => {
		const { admin } = await tokens()
		const annotator = await makeUser({ roles: ['annotator'] })
		const project = await makeProject({
			members: [{ id: annotator.id }],
			items: 2,
			input: { criteria: [{ name: 'Accuracy', min: 1, max: 5 }], flags: ['unsafe', 'refusal'] },
		})
		await judgeNext({ slug: project.slug, annotator })
		const patch = (body: unknown) =>
			call(
				projectAction,
				`/api/v1/projects/${project.slug}`,
				{ token: admin.token, method: 'PATCH', body },
				{ slug: project.slug },
			)
		const taskType = await patch({ taskType: 'ranking' })
		expect(taskType.status).toBe(422)
		expect(taskType.body.errors).toEqual([
			{ path: 'taskType', message: expect.stringMatching(/cannot change.*already has 1 judgment/) },
		])
		const removal = await patch({ criteria: [], flags: ['unsafe'] })
		expect(removal.body.errors?.map((error) => [error.path, error.message.split('.')[0]])).toEqual([
			['criteria', 'criterion "Accuracy" cannot be removed'],
			['flags', 'flag "refusal" cannot be removed'],
		])
		const additions = await patch({
			criteria: [{ name: 'Accuracy', description: 'clarified', min: 1, max: 5 }, { name: 'Tone' }],
			flags: ['unsafe', 'refusal', 'broken code'],
			overlap: 1,
		})
		expect(additions.status).toBe(200)
		expect(additions.body.flags).toEqual(['unsafe', 'refusal', 'broken code'])
		const row = await prisma.project.findUniqueOrThrow({ where: { id: project.id } })
		expect(row.taskType).toBe('pairwise')
		expect(await prisma.item.count({ where: { projectId: project.id, isOpen: false } })).toBe(1)
	})
})

describe('members', () => {
	test('POST adds by email and role (201, then 200 when repeated); DELETE removes', async () => {
		const { admin } = await tokens()
		const person = await makeUser({ roles: ['annotator', 'reviewer'] })
		const project = await makeProject()
		const path = `/api/v1/projects/${project.slug}/members`
		const slug = { slug: project.slug }
		const added = await call(
			membersAction,
			path,
			{ token: admin.token, method: 'POST', body: { email: person.email.toUpperCase(), role: 'annotator' } },
			slug,
		)
		expect(added.status).toBe(201)
		expect(
			(
				await call(
					membersAction,
					path,
					{ token: admin.token, method: 'POST', body: { email: person.email, role: 'annotator' } },
					slug,
				)
			).status,
		).toBe(200)
		expect(
			(
				await call(
					membersAction,
					path,
					{ token: admin.token, method: 'POST', body: { email: person.email, role: 'reviewer' } },
					slug,
				)
			).status,
		).toBe(201)
		const list = await call(membersLoader, path, { token: admin.token }, slug)
		expect((list.body.members as { email: string; role: string }[]).map((member) => member.role).sort()).toEqual([
			'annotator',
			'reviewer',
		])

		const removed = await call(
			membersAction,
			path,
			{ token: admin.token, method: 'DELETE', body: { email: person.email, role: 'annotator' } },
			slug,
		)
		expect(removed.status).toBe(200)
		const byQuery = await call(
			membersAction,
			`${path}?email=${encodeURIComponent(person.email)}&role=reviewer`,
			{ token: admin.token, method: 'DELETE' },
			slug,
		)
		expect(byQuery.status).toBe(200)
		expect(await prisma.projectMember.count({ where: { projectId: project.id } })).toBe(0)
		expect(
			(
				await call(
					membersAction,
					path,
					{ token: admin.token, method: 'DELETE', body: { email: person.email, role: 'annotator' } },
					slug,
				)
			).status,
		).toBe(404)
	})

	test('unknown users, disabled users and users without the role are refused naming the field', async () => {
		const { admin } = await tokens()
		const engineer = await makeUser({ roles: ['engineer'] })
		const project = await makeProject()
		const path = `/api/v1/projects/${project.slug}/members`
		const post = (body: unknown) =>
			call(membersAction, path, { token: admin.token, method: 'POST', body }, { slug: project.slug })
		const unknown = await post({ email: 'nobody@nowhere.test', role: 'annotator' })
		expect(unknown.status).toBe(422)
		expect(unknown.body.errors?.[0]).toMatchObject({
			path: 'email',
			message: expect.stringMatching(/No user with email/),
		})
		const noRole = await post({ email: engineer.email, role: 'annotator' })
		expect(noRole.body.errors?.[0]).toMatchObject({
			path: 'role',
			message: expect.stringMatching(/does not have the annotator role/),
		})
		const badRole = await post({ email: engineer.email, role: 'owner' })
		expect(badRole.body.errors?.[0]?.path).toBe('role')
		expect(await prisma.projectMember.count({ where: { projectId: project.id } })).toBe(0)
	})
})

describe('GET /api/v1/projects/{slug}/items', () => {
	test('pages through every item with its content by cursor', async () => {
		const { engineer } = await tokens()
		const project = await makeProject({ items: 5 })
		const seen: string[] = []
		let cursor: string | null = null
		let pages = 0
		do {
			const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2'
			const page = await call(
				itemsLoader,
				`/api/v1/projects/${project.slug}/items${query}`,
				{ token: engineer.token },
				{ slug: project.slug },
			)
			expect(page.status).toBe(200)
			const items = page.body.items as {
				externalId: string
				responses: { id: string; model: string; content: string }[]
				status: string
			}[]
			seen.push(...items.map((item) => item.externalId))
			expect(items.every((item) => item.responses.length === 2 && item.status === 'open')).toBe(true)
			cursor = page.body.nextCursor as string | null
			pages++
		} while (cursor)
		expect(pages).toBe(3)
		expect(seen).toEqual(['item-1', 'item-2', 'item-3', 'item-4', 'item-5'])
		const bad = await call(
			itemsLoader,
			`/api/v1/projects/${project.slug}/items?cursor=garbage`,
			{ token: engineer.token },
			{ slug: project.slug },
		)
		expect(bad.status).toBe(422)
		expect(bad.body.errors?.[0]?.path).toBe('cursor')
	})
})

test('every project endpoint is in the OpenAPI document', () => {
	const document = openApiDocument({ serverUrl: 'http://localhost', version: 'test' })
	expect(Object.keys(document.paths['/projects']!)).toEqual(['get', 'post'])
	expect(Object.keys(document.paths['/projects/{slug}']!)).toEqual(['get', 'patch'])
	expect(Object.keys(document.paths['/projects/{slug}/members']!)).toEqual(['get', 'post', 'delete'])
	expect(Object.keys(document.paths['/projects/{slug}/items']!)).toEqual(['get', 'post'])
})
