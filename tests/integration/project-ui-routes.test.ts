import { describe, expect, test } from 'vitest'
import { loader as dashboardLoader } from '#app/routes/project-dashboard.tsx'
import { action as previewAction } from '#app/routes/project-guidelines-preview.ts'
import { action as uploadAction } from '#app/routes/project-import-file.ts'
import { loader as itemsLoader } from '#app/routes/project-items.tsx'
import { action as membersAction, loader as membersLoader } from '#app/routes/project-members.tsx'
import { action as newProjectAction } from '#app/routes/project-new.tsx'
import { action as settingsAction, loader as settingsLoader } from '#app/routes/project-settings.tsx'
import { loader as projectsLoader } from '#app/routes/projects.tsx'
import { prisma } from '#app/utils/db.server.ts'
import type { FieldError } from '#app/utils/errors.ts'
import { jsonl, pairwiseLine } from '#tests/factories/imports.ts'
import { judgeNext } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { callRoute, makeUser, makeUserWithSession } from '#tests/factories/users.ts'

function uiRequest(
	path: string,
	{
		cookie,
		method = 'GET',
		form,
		body,
		headers = {},
	}: {
		cookie?: string
		method?: string
		form?: Record<string, string | string[]>
		body?: string
		headers?: Record<string, string>
	} = {},
) {
	const init: RequestInit = { method, headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } }
	if (form) {
		const data = new URLSearchParams()
		for (const [key, value] of Object.entries(form)) for (const one of [value].flat()) data.append(key, one)
		init.body = data
	} else if (body !== undefined) init.body = body
	return new Request(`http://localhost${path}`, init)
}

/** UI loaders and actions throw their error responses; this returns the status of whatever was thrown. */
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

const statusOf = (result: unknown) => (result as { init?: { status?: number } })?.init?.status ?? 200
const dataOf = <T>(result: T) => ((result as { data?: unknown }).data ?? result) as T extends { data: infer D } ? D : T

describe('the browser upload endpoint', () => {
	test('streams the file into the same import: 401 without a session, 403 for annotators, 200 and 422 for admins', async () => {
		const admin = await makeUserWithSession({ roles: ['admin'] })
		const annotator = await makeUserWithSession({ roles: ['annotator'] })
		const project = await makeProject({ members: [{ id: annotator.user.id }], input: { status: 'draft' } })
		const upload = (cookie: string | undefined, body: string, query = '?filename=items.jsonl') =>
			callRoute(
				uploadAction,
				uiRequest(`/projects/${project.slug}/import/file${query}`, {
					cookie,
					method: 'POST',
					body,
					headers: { 'Content-Type': 'application/x-ndjson' },
				}),
				{ slug: project.slug },
			)

		expect((await upload(undefined, jsonl(pairwiseLine(1)))).status).toBe(401)
		expect((await upload(annotator.cookie, jsonl(pairwiseLine(1)))).status).toBe(403)
		const refused = await upload(admin.cookie, jsonl(pairwiseLine(1), { id: 'x', question: 'p' }))
		expect(refused.status).toBe(422)
		expect(await refused.json()).toMatchObject({ refused: true, errors: [{ line: 2 }], imported: 0 })
		expect(await prisma.item.count({ where: { projectId: project.id } })).toBe(0)

		const ok = await upload(admin.cookie, jsonl(pairwiseLine(1), pairwiseLine(2)))
		expect(ok.status).toBe(200)
		expect(await ok.json()).toMatchObject({ refused: false, imported: 2 })
		const recorded = await prisma.import.findFirstOrThrow({ where: { projectId: project.id, imported: 2 } })
		expect(recorded.filename).toBe('items.jsonl')
	})
})

describe('/projects', () => {
	test('admins get the table; annotators only their own projects with a link to annotate', async () => {
		const admin = await makeUserWithSession({ roles: ['admin'] })
		const annotator = await makeUserWithSession({ roles: ['annotator'] })
		const mine = await makeProject({ members: [{ id: annotator.user.id }], input: { name: 'Mine to label' } })
		const other = await makeProject({ input: { name: 'Not mine' } })

		const forAdmin = await callRoute(projectsLoader, uiRequest('/projects?pageSize=200', { cookie: admin.cookie }))
		expect(forAdmin.view).toBe('table')
		expect(forAdmin.canManage).toBe(true)
		expect(forAdmin.table?.projects.map((project) => project.slug)).toEqual(
			expect.arrayContaining([mine.slug, other.slug]),
		)

		const forAnnotator = await callRoute(projectsLoader, uiRequest('/projects', { cookie: annotator.cookie }))
		expect(forAnnotator.view).toBe('member')
		expect(forAnnotator.table).toBeNull()
		expect(forAnnotator.mine.map((project) => [project.slug, project.memberRoles])).toEqual([
			[mine.slug, ['annotator']],
		])
	})
})

describe('project pages check their own permissions', () => {
	test('the dashboard sends member annotators to the workspace and hides other projects from them', async () => {
		const annotator = await makeUserWithSession({ roles: ['annotator'] })
		const mine = await makeProject({ members: [{ id: annotator.user.id }] })
		const other = await makeProject()
		try {
			await callRoute(dashboardLoader, uiRequest(`/projects/${mine.slug}`, { cookie: annotator.cookie }), {
				slug: mine.slug,
			})
			throw new Error('expected a redirect')
		} catch (error) {
			expect(error).toBeInstanceOf(Response)
			expect((error as Response).headers.get('Location')).toBe(`/projects/${mine.slug}/annotate`)
		}
		expect(
			await thrownStatus(
				callRoute(dashboardLoader, uiRequest(`/projects/${other.slug}`, { cookie: annotator.cookie }), {
					slug: other.slug,
				}),
			),
		).toBe(404)
		expect(
			await thrownStatus(
				callRoute(itemsLoader, uiRequest(`/projects/${mine.slug}/items`, { cookie: annotator.cookie }), {
					slug: mine.slug,
				}),
			),
		).toBe(403)
		expect(
			await thrownStatus(
				callRoute(membersLoader, uiRequest(`/projects/${mine.slug}/members`, { cookie: annotator.cookie }), {
					slug: mine.slug,
				}),
			),
		).toBe(403)
	})

	test("an adaptive project's dashboard shows the judgments spent per closed item against a fixed overlap at the maximum", async () => {
		const engineer = await makeUserWithSession({ roles: ['engineer'] })
		const annotator = await makeUser({ roles: ['annotator'] })
		// One newcomer's vote is 70% sure, past the 0.5 target: each item closes after one judgment.
		const project = await makeProject({
			members: [annotator],
			items: 2,
			input: { overlap: { mode: 'adaptive', min: 1, max: 3, confidence: 0.5 } },
		})
		await judgeNext({ slug: project.slug, annotator })
		await judgeNext({ slug: project.slug, annotator })
		const dashboard = await callRoute(
			dashboardLoader,
			uiRequest(`/projects/${project.slug}`, { cookie: engineer.cookie }),
			{ slug: project.slug },
		)
		expect(dashboard.overlapSpend).toMatchObject({
			closedItems: 2,
			spent: 2,
			mean: 1,
			fixedEquivalent: 6,
			fixedOverlap: 3,
		})
		expect(dashboard.overlapSpend?.histogram.map((bar) => bar.items)).toEqual([2, 0, 0])
		const fixed = await makeProject({ items: 1 })
		expect(
			(
				await callRoute(dashboardLoader, uiRequest(`/projects/${fixed.slug}`, { cookie: engineer.cookie }), {
					slug: fixed.slug,
				})
			).overlapSpend,
		).toBeNull()
	})

	test('engineers see the dashboard but not settings; anonymous visitors are sent to log in', async () => {
		const engineer = await makeUserWithSession({ roles: ['engineer'] })
		const project = await makeProject({ items: 3 })
		const dashboard = await callRoute(
			dashboardLoader,
			uiRequest(`/projects/${project.slug}`, { cookie: engineer.cookie }),
			{ slug: project.slug },
		)
		expect(dashboard.canManage).toBe(false)
		expect(dashboard.stats.counts.itemCount).toBe(3)
		expect(
			await thrownStatus(
				callRoute(settingsLoader, uiRequest(`/projects/${project.slug}/settings`, { cookie: engineer.cookie }), {
					slug: project.slug,
				}),
			),
		).toBe(403)
		expect(
			await thrownStatus(
				callRoute(
					settingsAction,
					uiRequest(`/projects/${project.slug}/settings`, {
						cookie: engineer.cookie,
						method: 'POST',
						form: { intent: 'status', status: 'paused' },
					}),
					{ slug: project.slug },
				),
			),
		).toBe(403)
		expect(
			await thrownStatus(callRoute(itemsLoader, uiRequest(`/projects/${project.slug}/items`), { slug: project.slug })),
		).toBe(302)
		expect((await prisma.project.findUniqueOrThrow({ where: { id: project.id } })).status).toBe('active')
	})
})

describe('forms', () => {
	test('/projects/new creates a project from the form, or answers 400 naming the fields', async () => {
		const admin = await makeUserWithSession({ roles: ['admin'] })
		const form = {
			name: 'Form made',
			slug: `form-made-${Date.now()}`,
			taskType: 'ranking',
			overlap: '2',
			leaseSeconds: '300',
			goldRate: '5',
			rationale: 'required',
			randomizeOrder: 'on',
			criteriaPresent: '1',
			criterionName: ['Accuracy', ''],
			criterionDescription: ['Facts', ''],
			criterionMin: ['1', '1'],
			criterionMax: ['7', '5'],
			flagsPresent: '1',
			flag: ['unsafe', ''],
		}
		const created = await callRoute(
			newProjectAction,
			uiRequest('/projects/new', { cookie: admin.cookie, method: 'POST', form }),
		)
		expect(created).toBeInstanceOf(Response)
		expect((created as Response).headers.get('Location')).toBe(`/projects/${form.slug}`)
		const row = await prisma.project.findUniqueOrThrow({ where: { slug: form.slug } })
		expect(row).toMatchObject({
			taskType: 'ranking',
			overlap: 2,
			leaseSeconds: 300,
			goldRate: 0.05,
			rationale: 'required',
			randomizeOrder: true,
			useStrength: false,
			showModelNames: false,
		})
		expect(row.criteria).toEqual([{ name: 'Accuracy', description: 'Facts', min: 1, max: 7 }])
		expect(row.flags).toEqual(['unsafe'])

		const invalid = await callRoute(
			newProjectAction,
			uiRequest('/projects/new', { cookie: admin.cookie, method: 'POST', form: { ...form, name: '', overlap: '' } }),
		)
		expect(statusOf(invalid)).toBe(400)
		expect(
			dataOf(invalid as { data: { errors: FieldError[] } })
				.errors.map((error) => error.path)
				.sort(),
		).toEqual(['name', 'overlap'])
	})

	test('settings refuse a locked change with the reason, and change status', async () => {
		const admin = await makeUserWithSession({ roles: ['admin'] })
		const annotator = await makeUser({ roles: ['annotator'] })
		const project = await makeProject({ members: [{ id: annotator.id }], items: 2, input: { flags: ['unsafe'] } })
		await judgeNext({ slug: project.slug, annotator })
		const post = (form: Record<string, string | string[]>) =>
			callRoute(
				settingsAction,
				uiRequest(`/projects/${project.slug}/settings`, { cookie: admin.cookie, method: 'POST', form }),
				{ slug: project.slug },
			)
		const base = {
			intent: 'save',
			name: project.name,
			overlap: '3',
			leaseSeconds: '900',
			goldRate: '0',
			rationale: 'optional',
			flagsPresent: '1',
		}
		const locked = await post({ ...base, taskType: 'ranking', flag: [] })
		expect(statusOf(locked)).toBe(422)
		const errors = dataOf(locked as { data: { errors: FieldError[] } }).errors
		expect(errors.find((error) => error.path === 'taskType')?.message).toMatch(
			/Locked because this project already has 1 judgment/,
		)
		expect(errors.find((error) => error.path === 'flags')?.message).toMatch(/flag "unsafe" cannot be removed/)

		const saved = await post({ ...base, flag: ['unsafe', 'refusal'], overlap: '4' })
		expect(statusOf(saved)).toBe(200)
		expect(await post({ intent: 'status', status: 'paused' })).toMatchObject({ errors: null })
		const row = await prisma.project.findUniqueOrThrow({ where: { id: project.id } })
		expect(row).toMatchObject({ taskType: 'pairwise', overlap: 4, flags: ['unsafe', 'refusal'], status: 'paused' })
		const draft = await post({ intent: 'status', status: 'draft' })
		expect(statusOf(draft)).toBe(409)
	})

	test('settings change how generated responses are served', async () => {
		const admin = await makeUserWithSession({ roles: ['admin'] })
		const project = await makeProject({ input: { taskType: 'ranking' } })
		const post = (form: Record<string, string>) =>
			callRoute(
				settingsAction,
				uiRequest(`/projects/${project.slug}/settings`, { cookie: admin.cookie, method: 'POST', form }),
				{ slug: project.slug },
			)
		const base = {
			intent: 'save',
			name: project.name,
			overlap: '3',
			leaseSeconds: '900',
			goldRate: '0',
			rationale: 'optional',
			generationPresent: '1',
		}
		expect(
			statusOf(
				await post({
					...base,
					responsesPerItem: '4',
					duplicateThreshold: '0.8',
					maxRegenerations: '3',
					truncated: 'regenerate',
				}),
			),
		).toBe(200)
		const row = await prisma.project.findUniqueOrThrow({ where: { id: project.id } })
		expect(row.generation).toEqual({
			responsesPerItem: 4,
			duplicateThreshold: 0.8,
			maxRegenerations: 3,
			truncated: 'regenerate',
		})
		const invalid = await post({ ...base, duplicateThreshold: '0.2', maxRegenerations: '3', truncated: 'serve' })
		expect(statusOf(invalid)).toBe(422)
		expect(
			dataOf(invalid as { data: { errors: { path: string }[] } }).errors.map((error) => error.path.split('.')[0]),
		).toEqual(['generation'])
	})

	test('the members form adds and removes people', async () => {
		const admin = await makeUserWithSession({ roles: ['admin'] })
		const person = await makeUser({ roles: ['annotator'] })
		const project = await makeProject()
		const post = (form: Record<string, string>) =>
			callRoute(
				membersAction,
				uiRequest(`/projects/${project.slug}/members`, { cookie: admin.cookie, method: 'POST', form }),
				{ slug: project.slug },
			)
		expect(await post({ intent: 'add', email: person.email, role: 'annotator' })).toMatchObject({
			message: `Added ${person.email} as annotator.`,
		})
		const wrongRole = await post({ intent: 'add', email: person.email, role: 'reviewer' })
		expect(statusOf(wrongRole)).toBe(422)
		expect(dataOf(wrongRole as { data: { errors: Record<string, string[]> } }).errors.role?.[0]).toMatch(
			/does not have the reviewer role/,
		)
		const page = await callRoute(
			membersLoader,
			uiRequest(`/projects/${project.slug}/members`, { cookie: admin.cookie }),
			{ slug: project.slug },
		)
		expect(page.annotators.map((row) => [row.email, row.judged, row.isMember])).toEqual([[person.email, 0, true]])
		await post({ intent: 'remove', email: person.email, role: 'annotator' })
		expect(await prisma.projectMember.count({ where: { projectId: project.id } })).toBe(0)
	})

	test('the guidelines preview is rendered on the server without raw HTML or scripts', async () => {
		const admin = await makeUserWithSession({ roles: ['admin'] })
		const engineer = await makeUserWithSession({ roles: ['engineer'] })
		const project = await makeProject()
		const content =
			'# Title\n\n<script>alert(1)</script>\n\n[link](javascript:alert(2)) and **bold** <img src=x onerror=alert(3)>'
		const preview = await callRoute(
			previewAction,
			uiRequest(`/projects/${project.slug}/guidelines/preview`, {
				cookie: admin.cookie,
				method: 'POST',
				form: { content },
			}),
			{ slug: project.slug },
		)
		expect(preview.html).toContain('<h1>Title</h1>')
		expect(preview.html).toContain('<strong>bold</strong>')
		expect(preview.html).not.toMatch(/<script|<img|href="javascript:/i)
		expect(preview.html).toContain('&#x3C;script>alert(1)&#x3C;/script>')
		expect(
			await thrownStatus(
				callRoute(
					previewAction,
					uiRequest(`/projects/${project.slug}/guidelines/preview`, {
						cookie: engineer.cookie,
						method: 'POST',
						form: { content },
					}),
					{ slug: project.slug },
				),
			),
		).toBe(403)
	})
})
