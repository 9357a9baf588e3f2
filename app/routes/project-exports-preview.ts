import { data } from 'react-router'
import type { Route } from './+types/project-exports-preview'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { requestFromForm } from '#app/modules/exports/export.schema.ts'
import { previewExport } from '#app/modules/exports/preview-export.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { route } from '#app/utils/route.server.ts'

// The export form calls this as the options change: the first rows and the counts to expect.
export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUserWithPermission(request, 'create:exports')
	try {
		return {
			preview: await previewExport({ slug: params.slug, user, input: requestFromForm(await request.formData()) }),
			errors: null,
		}
	} catch (error) {
		if (error instanceof AppError && error.code === 'INVALID')
			return data({ preview: null, errors: error.fieldErrors ?? [] }, { status: 422 })
		throw error
	}
})
