import type { Route } from './+types/project-guidelines-preview'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { renderMarkdown } from '#app/modules/content/render-markdown.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { GuidelinesInputSchema } from '#app/modules/projects/project.schema.ts'
import { route } from '#app/utils/route.server.ts'

// The live preview is rendered by the same sanitizing pipeline as everything else, on the server.
export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUserWithPermission(request, 'manage:projects')
	await getProjectForUser({ slug: params.slug, user, access: 'manage' })
	const { content } = GuidelinesInputSchema.parse({ content: (await request.formData()).get('content') ?? '' })
	return { html: renderMarkdown(content) }
})
