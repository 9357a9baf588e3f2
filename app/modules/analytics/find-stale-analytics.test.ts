import { expect, test } from 'vitest'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { makeUser } from '#tests/factories/users.ts'
import { findProjectsWithStaleAnalytics } from './find-stale-analytics.server.ts'
import { refreshProjectAnalytics } from './refresh-project-analytics.server.ts'

test('a project is stale until its analytics are computed, and again after new judgments', async () => {
	const annotator = await makeUser()
	const user = { id: annotator.id, email: annotator.email, displayName: annotator.displayName, roles: annotator.roles }
	const project = await makeProject({ members: [annotator], items: 2 })
	const judge = async (key: string) => {
		const assignment = (await claimNext({ slug: project.slug, user }))!
		await submitJudgment({
			leaseId: assignment.lease.id,
			user,
			input: { ranking: [['r1'], ['r2']], strength: 1, idempotencyKey: key },
		})
	}
	expect(await findProjectsWithStaleAnalytics({ limit: 1000 })).not.toContain(project.id)
	await judge('one')
	expect(await findProjectsWithStaleAnalytics({ limit: 1000 })).toContain(project.id)
	await refreshProjectAnalytics({ projectId: project.id })
	expect(await findProjectsWithStaleAnalytics({ limit: 1000 })).not.toContain(project.id)
	await judge('two')
	expect(await findProjectsWithStaleAnalytics({ limit: 1000 })).toContain(project.id)
})

test('a settings change after the last refresh makes the analytics stale (it may change what counts)', async () => {
	const annotator = await makeUser()
	const user = { id: annotator.id, email: annotator.email, displayName: annotator.displayName, roles: annotator.roles }
	const project = await makeProject({ members: [annotator], items: 1 })
	const assignment = (await claimNext({ slug: project.slug, user }))!
	await submitJudgment({
		leaseId: assignment.lease.id,
		user,
		input: { ranking: [['r1'], ['r2']], strength: 1, idempotencyKey: 'one' },
	})
	await refreshProjectAnalytics({ projectId: project.id })
	expect(await findProjectsWithStaleAnalytics({ limit: 1000 })).not.toContain(project.id)
	await prisma.project.update({ where: { id: project.id }, data: { judging: { includeInAnalytics: true } } })
	expect(await findProjectsWithStaleAnalytics({ limit: 1000 })).toContain(project.id)
})
