import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/project-settings'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { FieldErrors } from '#app/components/field-errors.tsx'
import { ProjectForm } from '#app/components/project-form.tsx'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { judgingInputFromForm } from '#app/modules/judging/judging-form.ts'
import { judgingSettings } from '#app/modules/judging/judging.schema.ts'
import { listModelEndpoints } from '#app/modules/models/endpoints.server.ts'
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
	const [counts, endpoints] = await Promise.all([
		getProjectCounts({ projectId: project.id, overlap: project.overlap, includeModel: true }),
		listModelEndpoints({ user }),
	])
	return {
		project: serializeProject(project),
		judgmentCount: counts.judgmentCount,
		itemCount: counts.itemCount,
		endpoints: endpoints.map((endpoint) => ({ id: endpoint.id, name: endpoint.name })),
	}
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
		if (intent === 'judging') {
			const project = await getProjectForUser({ slug: params.slug, user, access: 'manage' })
			const judging = judgingInputFromForm({ form, current: judgingSettings(project.judging) })
			await updateProject({ slug: params.slug, user, input: { judging } })
			return { intent, errors: null, saved: true }
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
	const { project, judgmentCount, itemCount, endpoints } = useLoaderData<typeof loader>()
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
			<HybridRouting
				project={project}
				endpoints={endpoints}
				errors={actionData?.intent === 'judging' ? actionData.errors : null}
				saved={actionData?.intent === 'judging' && actionData.saved}
				submitting={navigation.state === 'submitting'}
			/>
		</main>
	)
}

function HybridRouting({
	project,
	endpoints,
	errors,
	saved,
	submitting,
}: {
	project: ReturnType<typeof useLoaderData<typeof loader>>['project']
	endpoints: { id: string; name: string }[]
	errors: readonly { path: string; message: string }[] | null
	saved: boolean
	submitting: boolean
}) {
	const routing = project.judging.routing
	return (
		<section className="card space-y-4" aria-labelledby="routing-heading">
			<div>
				<h2 id="routing-heading" className="font-semibold">
					AI judges: hybrid routing and analytics
				</h2>
				<p className="text-sm text-slate-600">
					People judge only where the judge is unsure. When this endpoint&apos;s judge rates an item the same in both
					orders and states a confidence at or above the threshold (or none), the item needs only the spot-check overlap
					below; otherwise it keeps the full overlap of {project.overlap}.
					{project.overlapPolicy.mode === 'adaptive'
						? ' This project uses adaptive overlap, which ignores routing.'
						: ''}
				</p>
			</div>
			{endpoints.length === 0 ? (
				<p className="text-sm text-slate-600">Add a model endpoint under Models first.</p>
			) : (
				<Form method="post" className="space-y-4">
					<input type="hidden" name="intent" value="judging" />
					<label className="flex items-center gap-2 text-sm">
						<input type="checkbox" name="routingEnabled" defaultChecked={!!routing} /> Route items by the AI judge
					</label>
					<label className="flex items-center gap-2 text-sm">
						<input
							type="checkbox"
							name="includeInAnalytics"
							defaultChecked={project.judging.includeInAnalytics === true}
						/>{' '}
						Count AI judges in the human figures (consensus, agreement, leaderboard); off, they are measured apart
					</label>
					<div className="grid gap-4 sm:grid-cols-3">
						<div>
							<label htmlFor="routingEndpointId" className="label">
								Judge endpoint
							</label>
							<select
								id="routingEndpointId"
								name="routingEndpointId"
								defaultValue={routing?.endpointId ?? endpoints[0]?.id}
								className="input"
							>
								{endpoints.map((endpoint) => (
									<option key={endpoint.id} value={endpoint.id}>
										{endpoint.name}
									</option>
								))}
							</select>
						</div>
						<div>
							<label htmlFor="routingConfidence" className="label">
								Sure at confidence ≥
							</label>
							<input
								id="routingConfidence"
								name="routingConfidence"
								type="number"
								min={0}
								max={1}
								step="0.05"
								defaultValue={routing?.confidence ?? 0.8}
								className="input"
							/>
						</div>
						<div>
							<label htmlFor="overlapWhenJudgeSure" className="label">
								Human judgments when sure
							</label>
							<input
								id="overlapWhenJudgeSure"
								name="overlapWhenJudgeSure"
								type="number"
								min={0}
								max={100}
								defaultValue={routing?.overlapWhenJudgeSure ?? 1}
								className="input"
							/>
						</div>
					</div>
					<FieldErrors errors={errors} />
					{saved ? (
						<p role="status" className="text-sm text-emerald-700">
							Saved. Every item&apos;s target now follows the judge&apos;s verdicts under these settings; counting
							judges takes effect at the next analytics refresh.
						</p>
					) : null}
					<button type="submit" className="btn-primary" disabled={submitting}>
						Save AI judge settings
					</button>
				</Form>
			)}
		</section>
	)
}
