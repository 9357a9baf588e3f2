import { data, redirect, useActionData, useNavigation } from 'react-router'
import type { Route } from './+types/project-new'
import { defaultProjectValues, ProjectForm } from '#app/components/project-form.tsx'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { createProject } from '#app/modules/projects/create-project.server.ts'
import { CreateProjectSchema } from '#app/modules/projects/project.schema.ts'
import { projectInputFromForm } from '#app/modules/projects/project-form.ts'
import { AppError, fieldErrorsFromZod } from '#app/utils/errors.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'New project · Quorum' }]

export const loader = route(async ({ request }: Route.LoaderArgs) => {
	await requireUserWithPermission(request, 'manage:projects')
	return null
})

export const action = route(async ({ request }: Route.ActionArgs) => {
	const user = await requireUserWithPermission(request, 'manage:projects')
	const parsed = CreateProjectSchema.safeParse(projectInputFromForm(await request.formData()))
	if (!parsed.success) return data({ errors: fieldErrorsFromZod(parsed.error.issues) }, { status: 400 })
	try {
		const project = await createProject({ input: parsed.data, actorId: user.id })
		return redirect(`/projects/${project.slug}`)
	} catch (error) {
		if (error instanceof AppError && error.code === 'CONFLICT')
			return data({ errors: [{ path: 'slug', message: error.message }] }, { status: 409 })
		throw error
	}
})

export default function NewProjectPage() {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	return (
		<main className="mx-auto max-w-4xl space-y-6 px-6 py-10">
			<div>
				<h1 className="text-2xl font-bold tracking-tight">New project</h1>
				<p className="mt-1 text-sm text-slate-600">
					A project starts as a draft. After creating it, import items, add annotators, write the guidelines, then
					activate it.
				</p>
			</div>
			<ProjectForm
				mode="create"
				values={defaultProjectValues}
				errors={actionData?.errors ?? null}
				lockReason={null}
				submitting={navigation.state === 'submitting'}
			/>
		</main>
	)
}
