import { expect, test } from 'vitest'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { loader as previewLoader } from '#app/routes/annotate-preview.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUserWithSession } from '#tests/factories/users.ts'

test('the preview endpoint answers the likely next item to the session, 401 without one', async () => {
	const { user, cookie } = await makeUserWithSession()
	const project = await makeProject({ members: [{ id: user.id }], items: 2 })
	const current = (await claimNext({ slug: project.slug, user }))!
	const anonymous = await callRoute(previewLoader, apiRequest(`/projects/${project.slug}/annotate/preview`), {
		slug: project.slug,
	})
	expect(anonymous.status).toBe(401)
	const response = await callRoute(
		previewLoader,
		apiRequest(`/projects/${project.slug}/annotate/preview`, { headers: { Cookie: cookie } }),
		{ slug: project.slug },
	)
	expect(response.status).toBe(200)
	const { preview } = (await response.json()) as { preview: { id: string } | null }
	expect(preview?.id).toBeDefined()
	expect(preview?.id).not.toBe(current.item.id)
})
