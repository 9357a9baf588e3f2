import { expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { mayStillClaim } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { claimNext } from './claim-next.server.ts'
import { submitJudgment } from './submit-judgment.server.ts'

test('many annotators claiming and submitting at once: exactly overlap judgments per item, none repeated, all stored', async () => {
	const annotators = await Promise.all(Array.from({ length: 12 }, () => makeUser()))
	const project = await makeProject({ members: annotators, items: 40, input: { overlap: 3 } })
	const acknowledged: string[] = []

	await Promise.all(
		annotators.map(async (annotator) => {
			const user = {
				id: annotator.id,
				email: annotator.email,
				displayName: annotator.displayName,
				roles: annotator.roles,
			}
			for (let n = 0; ; n++) {
				const assignment = await claimNext({ slug: project.slug, user })
				if (!assignment) {
					if (await mayStillClaim({ projectId: project.id, userId: user.id })) continue
					break
				}
				const [a, b] = assignment.item.responses.map((r) => r.id)
				const { judgment } = await submitJudgment({
					leaseId: assignment.lease.id,
					user,
					input: {
						ranking: n % 3 === 0 ? [[a!, b!]] : [[a!], [b!]],
						strength: n % 3 === 0 ? null : 1,
						idempotencyKey: `${annotator.id}-${n}`,
					},
				})
				acknowledged.push(judgment.id)
			}
		}),
	)

	const items = await prisma.item.findMany({
		where: { projectId: project.id },
		select: { id: true, judgmentCount: true, isOpen: true },
	})
	expect(items.every((item) => item.judgmentCount === 3 && !item.isOpen)).toBe(true)
	const stored = await prisma.judgment.findMany({
		where: { projectId: project.id },
		select: { id: true, itemId: true, userId: true },
	})
	expect(stored).toHaveLength(120)
	expect(new Set(stored.map((j) => `${j.itemId}:${j.userId}`)).size).toBe(120)
	expect(stored.map((j) => j.id).sort()).toEqual([...acknowledged].sort())
	const perItem = new Map<string, number>()
	for (const j of stored) perItem.set(j.itemId, (perItem.get(j.itemId) ?? 0) + 1)
	expect([...perItem.values()].every((n) => n === 3)).toBe(true)
})
