import { describe, expect, test } from 'vitest'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import {
	getCurrentGuidelines,
	getProjectForGuidelines,
	listGuidelineVersions,
	saveGuidelines,
} from '#app/modules/projects/guidelines.server.ts'
import { listItems } from '#app/modules/projects/list-items.server.ts'
import { listProjects } from '#app/modules/projects/list-projects.server.ts'
import { addMember, removeMember } from '#app/modules/projects/members.server.ts'
import {
	AnnotatorListQuerySchema,
	ItemListQuerySchema,
	ProjectListQuerySchema,
} from '#app/modules/projects/project.schema.ts'
import { estimateFinish, getProjectStats, listAnnotatorStats } from '#app/modules/projects/project-stats.server.ts'
import { setProjectStatus } from '#app/modules/projects/set-project-status.server.ts'
import { updateProject } from '#app/modules/projects/update-project.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { AppError } from '#app/utils/errors.ts'
import { asSessionUser, judgeNext, skipNext } from '#tests/factories/judgments.ts'
import { addItems, makeItems, makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'

const errorOf = (promise: Promise<unknown>) =>
	promise.then(
		() => {
			throw new Error('expected an error')
		},
		(error: unknown) => error as AppError,
	)

describe('setProjectStatus', () => {
	test('follows draft → active ⇄ paused → archived, audits each step, and refuses the rest', async () => {
		const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
		const project = await makeProject({ input: { status: 'draft' } })
		expect((await errorOf(setProjectStatus({ slug: project.slug, user: admin, status: 'paused' }))).code).toBe(
			'CONFLICT',
		)
		for (const status of ['active', 'paused', 'active', 'archived'] as const) {
			expect((await setProjectStatus({ slug: project.slug, user: admin, status })).status).toBe(status)
		}
		const error = await errorOf(setProjectStatus({ slug: project.slug, user: admin, status: 'active' }))
		expect(error.message).toMatch(/archived/)
		const events = await prisma.auditEvent.findMany({
			where: { projectId: project.id, action: 'project.status_changed' },
			orderBy: { id: 'asc' },
		})
		expect(events.map((event) => event.data)).toEqual([
			{ from: 'draft', to: 'active' },
			{ from: 'active', to: 'paused' },
			{ from: 'paused', to: 'active' },
			{ from: 'active', to: 'archived' },
		])
	})

	test('only admins change status', async () => {
		const engineer = asSessionUser(await makeUser({ roles: ['engineer'] }))
		const project = await makeProject({ input: { status: 'active' } })
		expect((await errorOf(setProjectStatus({ slug: project.slug, user: engineer, status: 'paused' }))).code).toBe(
			'FORBIDDEN',
		)
		expect((await prisma.project.findUniqueOrThrow({ where: { id: project.id } })).status).toBe('active')
	})
})

describe('updateProject', () => {
	test('raising overlap reopens complete items and lowering it closes them', async () => {
		const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
		const annotator = await makeUser({ roles: ['annotator'] })
		const project = await makeProject({ members: [{ id: annotator.id }], items: 2, input: { overlap: 1 } })
		await judgeNext({ slug: project.slug, annotator })
		const open = () => prisma.item.count({ where: { projectId: project.id, isOpen: true } })
		expect(await open()).toBe(1)
		await updateProject({ slug: project.slug, user: admin, input: { overlap: 2 } })
		expect(await open()).toBe(2)
		await updateProject({ slug: project.slug, user: admin, input: { overlap: 1 } })
		expect(await open()).toBe(1)
		const audit = await prisma.auditEvent.findFirst({
			where: { projectId: project.id, action: 'project.updated' },
			orderBy: { id: 'desc' },
		})
		expect(audit?.data).toEqual({ overlap: { from: 2, to: 1 } })
	})

	test('rescaling a criterion is refused once judgments exist, but not before', async () => {
		const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
		const annotator = await makeUser({ roles: ['annotator'] })
		const project = await makeProject({
			members: [{ id: annotator.id }],
			items: 2,
			input: { criteria: [{ name: 'Accuracy', min: 1, max: 5 }] },
		})
		await updateProject({
			slug: project.slug,
			user: admin,
			input: { criteria: [{ name: 'Accuracy', min: 1, max: 7 }] },
		})
		await judgeNext({ slug: project.slug, annotator })
		const error = await errorOf(
			updateProject({ slug: project.slug, user: admin, input: { criteria: [{ name: 'Accuracy', min: 1, max: 10 }] } }),
		)
		expect(error.code).toBe('INVALID')
		expect(error.fieldErrors?.[0]?.message).toMatch(/scale of criterion "Accuracy" \(1–7\) cannot change/)
	})
})

describe('guidelines', () => {
	test('every change is a new version; saving the same text again adds none; annotators of the project read the current one', async () => {
		const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
		const annotator = asSessionUser(await makeUser({ roles: ['annotator'] }))
		const outsider = asSessionUser(await makeUser({ roles: ['annotator'] }))
		const project = await makeProject({ members: [{ id: annotator.id }], input: { guidelines: 'v1' } })
		expect(
			await saveGuidelines({
				slug: project.slug,
				user: admin,
				input: { content: '# Rules\n\nPrefer **honest** answers.' },
			}),
		).toEqual({ version: 2, created: true })
		expect(
			await saveGuidelines({
				slug: project.slug,
				user: admin,
				input: { content: '# Rules\n\nPrefer **honest** answers.' },
			}),
		).toEqual({ version: 2, created: false })
		expect(await saveGuidelines({ slug: project.slug, user: admin, input: { content: 'v3' } })).toEqual({
			version: 3,
			created: true,
		})
		expect((await listGuidelineVersions({ projectId: project.id })).map((version) => version.version)).toEqual([
			3, 2, 1,
		])
		expect((await getCurrentGuidelines({ projectId: project.id })).content).toBe('v3')

		expect((await getProjectForGuidelines({ slug: project.slug, user: annotator })).id).toBe(project.id)
		expect((await errorOf(getProjectForGuidelines({ slug: project.slug, user: outsider }))).code).toBe('NOT_FOUND')
		expect(
			(await errorOf(saveGuidelines({ slug: project.slug, user: annotator, input: { content: 'hijack' } }))).code,
		).toBe('FORBIDDEN')
		expect(
			await prisma.auditEvent.count({ where: { projectId: project.id, action: 'project.guidelines_updated' } }),
		).toBe(2)
	})
})

describe('members', () => {
	test('removing an annotator returns their open lease to the queue', async () => {
		const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
		const annotator = await makeUser({ roles: ['annotator'] })
		const project = await makeProject({ items: 1, input: { overlap: 1 } })
		await addMember({ slug: project.slug, user: admin, input: { email: annotator.email, role: 'annotator' } })
		const assignment = await claimNext({ slug: project.slug, user: asSessionUser(annotator) })
		expect(assignment).not.toBeNull()
		const result = await removeMember({
			slug: project.slug,
			user: admin,
			input: { email: annotator.email, role: 'annotator' },
		})
		expect(result).toEqual({ removed: true, releasedLeases: 1 })
		expect((await prisma.lease.findUniqueOrThrow({ where: { id: assignment!.lease.id } })).state).toBe('released')
		const other = await makeUser({ roles: ['annotator'] })
		await addMember({ slug: project.slug, user: admin, input: { email: other.email, role: 'annotator' } })
		expect((await claimNext({ slug: project.slug, user: asSessionUser(other) }))?.item.id).toBe(assignment!.item.id)
		const actions = await prisma.auditEvent.findMany({
			where: { projectId: project.id, action: { startsWith: 'project.member' } },
			orderBy: { id: 'asc' },
		})
		expect(actions.map((event) => event.action)).toEqual([
			'project.member_added',
			'project.member_removed',
			'project.member_added',
		])
	})
})

describe('project statistics', () => {
	test('counts, completion, judgments per hour, estimated finish and per-annotator numbers', async () => {
		const [alice, bob] = await Promise.all([makeUser({ roles: ['annotator'] }), makeUser({ roles: ['annotator'] })])
		const idle = await makeUser({ roles: ['annotator'] })
		const project = await makeProject({
			members: [{ id: alice.id }, { id: bob.id }, { id: idle.id }],
			items: 4,
			input: { overlap: 2, randomizeOrder: false },
		})
		await addItems({ projectId: project.id, items: makeItems({ count: 1, prefix: 'gold', gold: true }) })
		await judgeNext({ slug: project.slug, annotator: alice, activeMs: 4000 })
		await judgeNext({ slug: project.slug, annotator: alice, activeMs: 8000 })
		await judgeNext({ slug: project.slug, annotator: alice, activeMs: 30000 })
		await judgeNext({ slug: project.slug, annotator: bob, activeMs: 5000 })
		await skipNext({ slug: project.slug, annotator: bob })

		const now = new Date()
		const stats = await getProjectStats({ project: { id: project.id, overlap: 2, status: 'active' }, now })
		expect(stats.counts).toMatchObject({
			itemCount: 5,
			goldCount: 1,
			judgmentCount: 4,
			completeCount: 1,
			remainingJudgments: 4,
			completion: 0.5,
		})
		expect(stats.counts.openCount + stats.counts.inProgressCount + stats.counts.completeCount).toBe(4)
		expect(stats.throughput.hours).toHaveLength(48)
		// The judgments were made moments ago: in the current hour, or the one before if an hour just turned.
		expect(stats.throughput.hours.slice(-2).reduce((sum, hour) => sum + hour.judgments, 0)).toBe(4)
		expect(stats.throughput.hours.slice(0, -2).every((hour) => hour.judgments === 0)).toBe(true)
		expect(Date.parse(stats.throughput.hours.at(-1)!.hour)).toBe(Math.floor(now.getTime() / 3_600_000) * 3_600_000)
		expect(stats.throughput.ratePerHour).toBe(4)
		expect(stats.eta).toEqual({ at: new Date(now.getTime() + 3_600_000).toISOString(), reason: null })
		expect(estimateFinish({ status: 'paused', counts: stats.counts, ratePerHour: 4 })).toEqual({
			at: null,
			reason: 'not-active',
		})

		const table = await listAnnotatorStats({ projectId: project.id, query: AnnotatorListQuerySchema.parse({}) })
		expect(table.total).toBe(3)
		expect(table.annotators.map((row) => [row.email, row.judged, row.skipped, row.medianActiveMs])).toEqual([
			[alice.email, 3, 0, 8000],
			[bob.email, 1, 1, 5000],
			[idle.email, 0, 0, null],
		])
		const bySkips = await listAnnotatorStats({
			projectId: project.id,
			query: AnnotatorListQuerySchema.parse({ sort: 'skipped', dir: 'desc', pageSize: 1, page: 1 }),
		})
		expect(bySkips.annotators.map((row) => row.email)).toEqual([bob.email])
		expect(bySkips.total).toBe(3)
	})
})

describe('listItems', () => {
	test('filters by status and text, sorts and paginates on the server', async () => {
		const annotator = await makeUser({ roles: ['annotator'] })
		const project = await makeProject({
			members: [{ id: annotator.id }],
			items: 5,
			input: { overlap: 1, randomizeOrder: false },
		})
		await addItems({ projectId: project.id, items: makeItems({ count: 1, prefix: 'gold', gold: true }) })
		const judged = await judgeNext({ slug: project.slug, annotator })
		const leased = await claimNext({ slug: project.slug, user: asSessionUser(annotator) })
		const list = (query: Record<string, string>) =>
			listItems({ projectId: project.id, query: ItemListQuerySchema.parse(query) })

		expect((await list({ status: 'complete' })).items.map((item) => item.externalId)).toEqual([judged.item.externalId])
		expect((await list({ status: 'gold' })).items.map((item) => item.externalId)).toEqual(['gold-1'])
		const open = await list({ status: 'open' })
		expect(open.total).toBe(4)
		expect(open.items.find((item) => item.id === leased!.item.id)?.activeLeases).toBe(1)
		expect((await list({ q: 'item-3' })).items.map((item) => item.externalId)).toEqual(['item-3'])
		expect((await list({ q: 'Prompt item 4' })).items.map((item) => item.externalId)).toEqual(['item-4'])
		expect((await list({ q: '%' })).total).toBe(0)
		const page = await list({ sort: 'externalId', dir: 'desc', pageSize: '2', page: '2' })
		expect(page.total).toBe(6)
		expect(page.items.map((item) => item.externalId)).toEqual(['item-3', 'item-2'])
		expect(page.items[0]).toMatchObject({ preview: 'Prompt item 3', responseCount: 2, status: 'open' })
	})
})

describe('listProjects', () => {
	test('sorts by completion and shows annotators and reviewers only their own projects', async () => {
		const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
		const reviewer = asSessionUser(await makeUser({ roles: ['reviewer'] }))
		const annotator = await makeUser({ roles: ['annotator'] })
		const tag = `cmp-${Date.now()}`
		const done = await makeProject({
			members: [{ id: annotator.id }],
			items: 1,
			input: { name: `${tag} done`, overlap: 1 },
		})
		await makeProject({ members: [{ id: reviewer.id, role: 'reviewer' }], items: 1, input: { name: `${tag} fresh` } })
		await makeProject({ input: { name: `${tag} archived`, status: 'archived' } })
		await judgeNext({ slug: done.slug, annotator })

		const sorted = await listProjects({
			user: admin,
			query: ProjectListQuerySchema.parse({ q: tag, sort: 'completion', dir: 'desc' }),
		})
		expect(sorted.projects.map((project) => [project.name, project.completion, project.judgmentCount])).toEqual([
			[`${tag} done`, 1, 1],
			[`${tag} fresh`, 0, 0],
		])
		const archived = await listProjects({
			user: admin,
			query: ProjectListQuerySchema.parse({ q: tag, status: 'archived' }),
		})
		expect(archived.projects.map((project) => project.name)).toEqual([`${tag} archived`])
		const mine = await listProjects({ user: reviewer, query: ProjectListQuerySchema.parse({ q: tag }) })
		expect(mine.projects.map((project) => project.name)).toEqual([`${tag} fresh`])
	})
})
