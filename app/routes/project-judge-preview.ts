import type { Route } from './+types/project-judge-preview'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { previewJudgePrompt } from '#app/modules/judging/preview-judge-prompt.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { route } from '#app/utils/route.server.ts'

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUserWithPermission(request, 'run:models')
	const content = (await request.formData()).get('content') ?? ''
	try {
		return { ...(await previewJudgePrompt({ slug: params.slug, user, content })), error: null }
	} catch (error) {
		if (error instanceof AppError && error.code === 'INVALID')
			return { prompt: null, itemExternalId: null, error: error.fieldErrors?.[0]?.message ?? error.message }
		throw error
	}
})
