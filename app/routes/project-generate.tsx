import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/project-generate'
import { useExportPolling } from '#app/components/export-jobs.tsx'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { cancelGeneration } from '#app/modules/generations/cancel-generation.server.ts'
import { listGenerations } from '#app/modules/generations/get-generation.server.ts'
import { requestGeneration } from '#app/modules/generations/request-generation.server.ts'
import type { SerializedGeneration } from '#app/modules/generations/serialize-generation.ts'
import { listModelEndpoints } from '#app/modules/models/endpoints.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { canManageProjects } from '#app/modules/projects/policies.ts'
import { getProjectCounts } from '#app/modules/projects/project-stats.server.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { AppError, type FieldError } from '#app/utils/errors.ts'
import { clientIp } from '#app/utils/request.server.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [
	{ title: `Generate · ${data?.project.name ?? 'Project'} · Quorum` },
]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUserWithPermission(request, 'run:models')
	const project = await getProjectForUser({ slug: params.slug, user, access: 'read' })
	const [endpoints, generations, counts] = await Promise.all([
		listModelEndpoints({ user }),
		listGenerations({ slug: params.slug, user }),
		getProjectCounts({ projectId: project.id, overlap: project.overlap }),
	])
	return {
		project: serializeProject(project),
		canManage: canManageProjects(user),
		endpoints,
		generations,
		waiting: counts.waitingCount,
	}
})

/** The form's fields → `{endpoints: [{id, samples, params}], items, system}`. */
function requestFromForm(form: FormData) {
	const numberOrUndefined = (value: FormDataEntryValue | null) =>
		value === null || value === '' ? undefined : Number(value)
	const temperature = numberOrUndefined(form.get('temperature'))
	const maxTokens = numberOrUndefined(form.get('max_tokens'))
	const params = {
		...(temperature !== undefined ? { temperature } : {}),
		...(maxTokens !== undefined ? { max_tokens: maxTokens } : {}),
	}
	const endpoints = form.getAll('endpoint').map((id) => ({
		id: String(id),
		samples: numberOrUndefined(form.get(`samples-${String(id)}`)) ?? 1,
		...(Object.keys(params).length ? { params } : {}),
	}))
	const filterText = String(form.get('filter') ?? '').trim()
	let metadata: unknown
	if (filterText) {
		try {
			metadata = JSON.parse(filterText)
		} catch {
			throw new AppError('INVALID', 'The filter is not JSON', {
				fieldErrors: [{ path: 'items.filter.metadata', message: 'expected a JSON object such as {"source": "eval"}' }],
			})
		}
	}
	const system = String(form.get('system') ?? '').trim()
	return {
		endpoints,
		...(metadata !== undefined ? { items: { filter: { metadata } } } : {}),
		...(system ? { system } : {}),
	}
}

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUserWithPermission(request, 'run:models')
	const form = await request.formData()
	if (form.get('intent') === 'cancel') {
		await cancelGeneration({ id: String(form.get('id') ?? ''), user, ip: clientIp(request) })
		return { created: null, errors: null as FieldError[] | null }
	}
	try {
		const created = await requestGeneration({
			slug: params.slug,
			user,
			input: requestFromForm(form),
			ip: clientIp(request),
		})
		return { created: created.id, errors: null as FieldError[] | null }
	} catch (error) {
		if (error instanceof AppError && error.code === 'INVALID')
			return data({ created: null, errors: error.fieldErrors ?? [] }, { status: 422 })
		throw error
	}
})

const isActive = (run: SerializedGeneration) => run.status === 'queued' || run.status === 'running'

function eta(seconds: number | null) {
	if (seconds === null) return ''
	if (seconds < 90) return ` · about ${seconds} s left`
	return ` · about ${Math.round(seconds / 60)} min left`
}

function RunRow({ run }: { run: SerializedGeneration }) {
	const endpoints = (run.options as { endpoints?: { name: string; samples: number }[] }).endpoints ?? []
	return (
		<li className="card space-y-2" data-generation={run.id}>
			<div className="flex flex-wrap items-center justify-between gap-2">
				<div>
					<p className="font-medium">
						{endpoints.map((endpoint) => `${endpoint.name} × ${endpoint.samples}`).join(', ')}
					</p>
					<p className="text-xs text-slate-500">
						{new Date(run.createdAt).toLocaleString()} · {run.requestedBy ?? '—'}
					</p>
				</div>
				<div className="flex items-center gap-3">
					<span role="status" className="text-sm" data-status={run.status}>
						{run.status} · {run.counts.done + run.counts.failed} of {run.counts.tasks} samples
						{isActive(run) ? eta(run.etaSeconds) : ''}
					</span>
					{isActive(run) ? (
						<Form method="post">
							<input type="hidden" name="intent" value="cancel" />
							<input type="hidden" name="id" value={run.id} />
							<button type="submit" className="btn-secondary">
								Cancel
							</button>
						</Form>
					) : null}
				</div>
			</div>
			<progress className="w-full" max={1} value={run.progress} aria-label="Progress" />
			<p className="text-xs text-slate-600">
				{run.counts.items} items · {run.counts.itemsOpened} ready for annotation
				{run.counts.itemsMarked ? ` · ${run.counts.itemsMarked} left closed (responses stayed near-duplicates)` : ''}
				{run.counts.failed ? ` · ${run.counts.failed} samples failed` : ''}
			</p>
			{run.errors.length ? (
				<details>
					<summary className="cursor-pointer text-sm text-red-700">Errors ({run.counts.failed})</summary>
					<ul className="mt-2 space-y-1 text-xs">
						{run.errors.map((error) => (
							<li key={`${error.itemId}-${error.endpoint}-${error.sample}`}>
								<span className="font-mono">{error.externalId}</span> · {error.endpoint} #{error.sample + 1}:{' '}
								{error.message}
							</li>
						))}
					</ul>
				</details>
			) : null}
		</li>
	)
}

export default function ProjectGeneratePage() {
	const { project, canManage, endpoints, generations, waiting } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	useExportPolling(generations.some(isActive))
	const errors = actionData?.errors ?? []
	return (
		<main className="mx-auto max-w-5xl space-y-6 px-6 py-8">
			<ProjectHeader project={project} canManage={canManage} />
			<section className="card space-y-4">
				<div>
					<h2 className="text-lg font-semibold">Generate responses</h2>
					<p className="text-sm text-slate-600">
						{waiting.toLocaleString('en-US')} items wait for responses. An item is served once it has{' '}
						{project.taskType === 'pairwise' ? '2 responses' : 'enough responses'}; near-duplicate answers are
						regenerated first.
					</p>
				</div>
				{endpoints.length === 0 ? (
					<p className="text-sm text-slate-600">
						No model endpoints yet. An admin adds them under{' '}
						<a href="/admin/models" className="underline">
							Models
						</a>
						.
					</p>
				) : (
					<Form method="post" className="space-y-4">
						<fieldset className="space-y-2">
							<legend className="label">Endpoints and samples</legend>
							{endpoints.map((endpoint) => (
								<div key={endpoint.id} className="flex items-center gap-3 text-sm">
									<label className="flex flex-1 items-center gap-2">
										<input type="checkbox" name="endpoint" value={endpoint.id} /> {endpoint.name}{' '}
										<code className="text-xs text-slate-500">{endpoint.model}</code>
									</label>
									<label className="flex items-center gap-1">
										Samples
										<input
											type="number"
											name={`samples-${endpoint.id}`}
											min={1}
											max={9}
											defaultValue={1}
											className="input w-20"
											aria-label={`Samples from ${endpoint.name}`}
										/>
									</label>
								</div>
							))}
						</fieldset>
						<div className="grid gap-3 sm:grid-cols-2">
							<div>
								<label htmlFor="gen-temperature" className="label">
									Temperature (overrides the endpoints’)
								</label>
								<input
									id="gen-temperature"
									name="temperature"
									type="number"
									step="any"
									min={0}
									max={2}
									className="input"
								/>
							</div>
							<div>
								<label htmlFor="gen-max-tokens" className="label">
									Max tokens (override)
								</label>
								<input id="gen-max-tokens" name="max_tokens" type="number" min={1} className="input" />
							</div>
							<div className="sm:col-span-2">
								<label htmlFor="gen-system" className="label">
									System prompt for this run
								</label>
								<textarea id="gen-system" name="system" rows={2} className="input" />
							</div>
							<div className="sm:col-span-2">
								<label htmlFor="gen-filter" className="label">
									Items: all waiting, or those whose metadata contains (JSON)
								</label>
								<input id="gen-filter" name="filter" className="input font-mono" placeholder='{"source": "eval"}' />
							</div>
						</div>
						{errors.length ? (
							<ul className="field-error" role="alert">
								{errors.map((error) => (
									<li key={`${error.path}-${error.message}`}>
										{error.path}: {error.message}
									</li>
								))}
							</ul>
						) : null}
						<button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
							Generate
						</button>
					</Form>
				)}
			</section>
			<section aria-label="Generation runs" className="space-y-3">
				<h2 className="text-lg font-semibold">Runs</h2>
				{generations.length === 0 ? <p className="text-sm text-slate-500">No runs yet.</p> : null}
				<ul className="space-y-3">
					{generations.map((run) => (
						<RunRow key={run.id} run={run} />
					))}
				</ul>
			</section>
		</main>
	)
}
