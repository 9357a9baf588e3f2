import { expect, test, vi } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { claimNext } from './claim-next.server.ts'
import { previewNext } from './preview-next.server.ts'
import { submitJudgment } from './submit-judgment.server.ts'

test('the preview names the item the next claim leases, reserves nothing, and leaves its HTML stored', async () => {
	const annotator = await makeUser()
	const project = await makeProject({ members: [annotator], items: 3, input: { overlap: 1 } })
	const user = { id: annotator.id, email: annotator.email, displayName: annotator.displayName, roles: annotator.roles }
	const current = (await claimNext({ slug: project.slug, user }))!

	const preview = (await previewNext({ slug: project.slug, user }))!
	expect(preview.id).not.toBe(current.item.id)
	expect(preview.responseCount).toBe(2)
	expect(await prisma.lease.count({ where: { projectId: project.id } })).toBe(1)
	await vi.waitFor(
		async () => expect((await prisma.item.findUniqueOrThrow({ where: { id: preview.id } })).rendered).not.toBeNull(),
		{ timeout: 10_000 },
	)

	const [a, b] = current.item.responses.map((r) => r.id)
	await submitJudgment({
		leaseId: current.lease.id,
		user,
		input: { ranking: [[a!], [b!]], strength: 1, idempotencyKey: 'k' },
	})
	const next = (await claimNext({ slug: project.slug, user }))!
	expect(next.item.id).toBe(preview.id)
	expect(next.rendered).not.toBeNull()
})

test('no preview when nothing is left', async () => {
	const annotator = await makeUser()
	const project = await makeProject({ members: [annotator], items: 1 })
	const user = { id: annotator.id, email: annotator.email, displayName: annotator.displayName, roles: annotator.roles }
	await claimNext({ slug: project.slug, user })
	expect(await previewNext({ slug: project.slug, user })).toBeNull()
})
