import { expect, test, vi } from 'vitest'
import { RENDER_VERSION, type RenderedItem } from '#app/modules/content/render-item.server.ts'
import { rerenderItems } from '#app/modules/content/rerender-items.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { claimNext } from './claim-next.server.ts'
import { toAssignmentView } from './workspace.server.ts'

const stored = async (itemId: string) =>
	(await prisma.item.findUniqueOrThrow({ where: { id: itemId }, select: { rendered: true } }))
		.rendered as RenderedItem | null

test('an item is rendered once: the first view stores its HTML, later claims read it instead of rendering', async () => {
	const annotator = await makeUser()
	const project = await makeProject({ members: [annotator], items: 1, input: { overlap: 2 } })
	const user = { id: annotator.id, email: annotator.email, displayName: annotator.displayName, roles: annotator.roles }
	const first = (await claimNext({ slug: project.slug, user }))!
	expect(first.rendered).toBeNull()
	const view = toAssignmentView(first)
	await vi.waitFor(async () => expect(await stored(first.item.id)).not.toBeNull(), { timeout: 10_000 })
	const html = (await stored(first.item.id))!
	expect(html.version).toBe(RENDER_VERSION)
	expect(html.context).toEqual(view.item.context)

	// What is stored is what is shown: a marker put into the stored HTML reaches the next claim's view.
	const [key] = Object.keys(html.responses)
	html.responses[key!]!.html = '<p>stored once</p>'
	await prisma.item.update({ where: { id: first.item.id }, data: { rendered: html } })
	const other = await makeUser()
	await prisma.projectMember.create({ data: { projectId: project.id, userId: other.id, role: 'annotator' } })
	const second = (await claimNext({
		slug: project.slug,
		user: { id: other.id, email: other.email, displayName: other.displayName, roles: other.roles },
	}))!
	expect(toAssignmentView(second).item.responses.find((r) => r.id === key)!.html).toBe('<p>stored once</p>')
})

test('HTML from an older renderer is rendered again, when shown or by rerender', async () => {
	const annotator = await makeUser()
	const project = await makeProject({ members: [annotator], items: 3 })
	const items = await prisma.item.findMany({ where: { projectId: project.id }, select: { id: true } })
	const old = { version: RENDER_VERSION - 1, context: { kind: 'prompt', html: '<p>old</p>' }, responses: {} }
	await prisma.item.updateMany({ where: { projectId: project.id }, data: { rendered: old } })

	const user = { id: annotator.id, email: annotator.email, displayName: annotator.displayName, roles: annotator.roles }
	const claimed = (await claimNext({ slug: project.slug, user }))!
	expect(toAssignmentView(claimed).item.context).not.toEqual(old.context)
	await vi.waitFor(async () => expect((await stored(claimed.item.id))?.version).toBe(RENDER_VERSION), {
		timeout: 10_000,
	})

	expect(await rerenderItems({ slug: project.slug, batchSize: 1 })).toEqual({ rendered: 2 })
	for (const item of items) expect((await stored(item.id))?.version).toBe(RENDER_VERSION)
	expect(await rerenderItems({ slug: project.slug })).toEqual({ rendered: 0 })
})
