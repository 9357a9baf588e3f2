import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/project-settings'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { FieldErrors } from '#app/components/field-errors.tsx'
import { ProjectForm } from '#app/components/project-form.tsx'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { projectInputFromForm } from '#app/modules/projects/project-form.ts'
import { lockReason, statusActionsFor } from '#app/modules/projects/project-settings.ts'
import { getProjectCounts } from '#app/modules/projects/project-stats.server.ts'
import { setProjectStatus } from '#app/modules/projects/set-project-status.server.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { updateProject } from '#app/modules/projects/update-project.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [
	{ title: `Settings · ${data?.project.name ?? 'Project'} · Quorum` },
]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUserWithPermission(request, 'manage:projects')
	const project = await getProjectForUser({ slug: params.slug, user, access: 'manage' })
	// Any judgment locks the task's shape, an AI judge's too (update-project counts them all).
	const counts = await getProjectCounts({ projectId: project.id, overlap: project.overlap, includeModel: true })
	return { project: serializeProject(project), judgmentCount: counts.judgmentCount, itemCount: counts.itemCount }
})

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUserWithPermission(request, 'manage:projects')
	const form = await request.formData()
	const intent = form.get('intent')
	try {
		if (intent === 'status') {
			await setProjectStatus({ slug: params.slug, user, status: form.get('status') })
			return { intent, errors: null, saved: false }
		}
		await updateProject({ slug: params.slug, user, input: projectInputFromForm(form) })
		return { intent: 'save', errors: null, saved: true }
	} catch (error) {
		if (error instanceof AppError && (error.code === 'INVALID' || error.code === 'CONFLICT')) {
			const errors = error.fieldErrors?.length ? error.fieldErrors : [{ path: '', message: error.message }]
			return data({ intent, errors, saved: false }, { status: error.status })
		}
		throw error
	}
})

export default function ProjectSettingsPage() {
	const { project, judgmentCount, itemCount } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const locked = judgmentCount > 0 ? lockReason(judgmentCount) : null
	const statusErrors = actionData?.intent === 'status' ? actionData.errors : null
	return (
		<main className="mx-auto max-w-5xl space-y-6 px-6 py-10">
			<ProjectHeader project={project} canManage />

			<section className="card space-y-3" aria-labelledby="status-heading">
				<h2 id="status-heading" className="font-semibold">
					Status: {project.status}
				</h2>
				<p className="text-sm text-slate-600">
					{project.status === 'draft'
						? `Annotators get work once the project is active.${itemCount === 0 ? ' Import items first.' : ''}`
						: project.status === 'active'
							? 'Annotators are receiving work. Pausing keeps every lease and draft; nobody gets new items until you resume.'
							: project.status === 'paused'
								? 'Paused: annotators get no new items. Resume to continue.'
								: 'Archived: read-only, takes no judgments or imports.'}
				</p>
				<Form method="post" className="flex flex-wrap gap-2">
					<input type="hidden" name="intent" value="status" />
					{statusActionsFor(project.status).map((action) => (
						<button
							key={action.to}
							type="submit"
							name="status"
							value={action.to}
							className={
								action.tone === 'primary' ? 'btn-primary' : action.tone === 'danger' ? 'btn-danger' : 'btn-secondary'
							}
							onClick={(event) => {
								if (
									action.to === 'archived' &&
									!confirm(`Archive "${project.name}"? An archived project takes no more work and cannot be reopened.`)
								)
									event.preventDefault()
							}}
						>
							{action.label}
						</button>
					))}
				</Form>
				<FieldErrors errors={statusErrors} />
			</section>

			{actionData?.intent === 'save' && actionData.saved ? (
				<p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
					Settings saved.
				</p>
			) : null}
			<ProjectForm
				key={project.updatedAt}
				mode="edit"
				values={project}
				errors={actionData?.intent === 'save' || actionData?.intent === null ? (actionData?.errors ?? null) : null}
				lockReason={locked}
				submitting={navigation.state === 'submitting'}
			/>
		</main>
	)
}
