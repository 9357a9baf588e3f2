import { useState } from 'react'
import { data, Form, useActionData, useFetcher, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/project-judge'
import type { action as previewAction } from './project-judge-preview.ts'
import { useExportPolling } from '#app/components/export-jobs.tsx'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { cancelJudgeRun } from '#app/modules/judging/cancel-judge-run.server.ts'
import { listJudgeRuns } from '#app/modules/judging/get-judge-run.server.ts'
import { DEFAULT_JUDGE_TEMPLATE, JUDGE_TEMPLATE_PLACEHOLDERS } from '#app/modules/judging/judge-template.ts'
import {
	getCurrentJudgeTemplate,
	listJudgeTemplateVersions,
	saveJudgeTemplate,
} from '#app/modules/judging/judge-templates.server.ts'
import { requestJudgeRun } from '#app/modules/judging/request-judge-run.server.ts'
import type { SerializedJudgeRun } from '#app/modules/judging/serialize-judge-run.ts'
import { listModelEndpoints } from '#app/modules/models/endpoints.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { canManageProjects } from '#app/modules/projects/policies.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { AppError, type FieldError } from '#app/utils/errors.ts'
import { clientIp } from '#app/utils/request.server.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [
	{ title: `AI judge · ${data?.project.name ?? 'Project'} · Quorum` },
]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUserWithPermission(request, 'run:models')
	const project = await getProjectForUser({ slug: params.slug, user, access: 'read' })
	const [endpoints, runs, current, versions] = await Promise.all([
		listModelEndpoints({ user }),
		listJudgeRuns({ slug: params.slug, user }),
		getCurrentJudgeTemplate({ projectId: project.id }),
		listJudgeTemplateVersions({ projectId: project.id }),
	])
	return {
		project: serializeProject(project),
		canManage: canManageProjects(user),
		endpoints: endpoints.map((endpoint) => ({ id: endpoint.id, name: endpoint.name, model: endpoint.model })),
		runs,
		template: { version: current.version, content: current.content },
		versions: versions.map((version) => ({
			version: version.version,
			content: version.content,
			createdAt: version.createdAt.toISOString(),
			by: version.createdBy?.displayName ?? null,
		})),
	}
})

type ActionResult = { intent: string; errors: FieldError[] | null; saved: number | null }

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUserWithPermission(request, 'run:models')
	const form = await request.formData()
	const intent = String(form.get('intent') ?? 'run')
	try {
		if (intent === 'cancel') {
			await cancelJudgeRun({ id: String(form.get('id') ?? ''), user, ip: clientIp(request) })
			return { intent, errors: null, saved: null } satisfies ActionResult
		}
		if (intent === 'save-template') {
			const saved = await saveJudgeTemplate({ slug: params.slug, user, input: { content: form.get('content') ?? '' } })
			return { intent, errors: null, saved: saved.version } satisfies ActionResult
		}
		const filterText = String(form.get('filter') ?? '').trim()
		let metadata: unknown
		if (filterText) {
			try {
				metadata = JSON.parse(filterText)
			} catch {
				throw new AppError('INVALID', 'The filter is not JSON', {
					fieldErrors: [
						{ path: 'items.filter.metadata', message: 'expected a JSON object such as {"source": "eval"}' },
					],
				})
			}
		}
		await requestJudgeRun({
			slug: params.slug,
			user,
			input: {
				endpointId: String(form.get('endpointId') ?? ''),
				...(metadata !== undefined ? { items: { filter: { metadata } } } : {}),
			},
			ip: clientIp(request),
		})
		return { intent, errors: null, saved: null } satisfies ActionResult
	} catch (error) {
		if (error instanceof AppError && error.code === 'INVALID')
			return data(
				{ intent, errors: error.fieldErrors ?? [{ path: 'form', message: error.message }], saved: null },
				{ status: 422 },
			)
		throw error
	}
})

const isActive = (run: SerializedJudgeRun) => run.status === 'queued' || run.status === 'running'

function eta(seconds: number | null) {
	if (seconds === null) return ''
	if (seconds < 90) return ` · about ${seconds} s left`
	return ` · about ${Math.round(seconds / 60)} min left`
}

function Errors({ errors }: { errors: FieldError[] }) {
	if (!errors.length) return null
	return (
		<ul className="field-error" role="alert">
			{errors.map((error) => (
				<li key={`${error.path}-${error.message}`}>
					{error.path}: {error.message}
				</li>
			))}
		</ul>
	)
}

function RunRow({ run }: { run: SerializedJudgeRun }) {
	return (
		<li className="card space-y-2" data-judge-run={run.id}>
			<div className="flex flex-wrap items-center justify-between gap-2">
				<div>
					<p className="font-medium">
						{run.judge.displayName}{' '}
						{run.endpoint ? <code className="text-xs text-slate-500">{run.endpoint.model}</code> : null}
					</p>
					<p className="text-xs text-slate-500">
						{new Date(run.createdAt).toLocaleString()} · {run.requestedBy ?? '—'} · template{' '}
						{run.templateVersion === 0 ? 'default' : `v${run.templateVersion}`}
					</p>
				</div>
				<div className="flex items-center gap-3">
					<span role="status" className="text-sm" data-status={run.status}>
						{run.status} · {run.counts.done + run.counts.failed} of {run.counts.tasks} calls
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
			<p className="text-xs text-slate-600" data-testid="judge-run-counts">
				{run.counts.items} items · {run.counts.itemsJudged} judged
				{run.counts.itemsInconsistent
					? ` · ${run.counts.itemsInconsistent} position-inconsistent (stored as ties)`
					: ''}
				{run.counts.failed ? ` · ${run.counts.failed} calls failed` : ''}
			</p>
			{run.error ? <p className="text-sm text-red-700">{run.error}</p> : null}
			{run.errors.length ? (
				<details>
					<summary className="cursor-pointer text-sm text-red-700">Errors ({run.counts.failed})</summary>
					<ul className="mt-2 space-y-1 text-xs">
						{run.errors.map((error) => (
							<li key={`${error.itemId}-${error.order}`}>
								<span className="font-mono">{error.externalId}</span> · {error.order === 0 ? 'as shown' : 'reversed'}:{' '}
								{error.message}
							</li>
						))}
					</ul>
				</details>
			) : null}
		</li>
	)
}

function TemplateEditor({ slug, version, initial }: { slug: string; version: number; initial: string }) {
	const [content, setContent] = useState(initial)
	const preview = useFetcher<typeof previewAction>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const saveErrors = actionData?.intent === 'save-template' ? (actionData.errors ?? []) : []
	return (
		<section className="card space-y-3" aria-labelledby="judge-template-heading">
			<div>
				<h2 id="judge-template-heading" className="text-lg font-semibold">
					Judge prompt template{' '}
					<span className="text-sm font-normal text-slate-500">
						({version === 0 ? 'built-in default' : `version ${version}`})
					</span>
				</h2>
				<p className="text-sm text-slate-600">
					Sent once per item in each order. Placeholders:{' '}
					{JUDGE_TEMPLATE_PLACEHOLDERS.map((name) => (
						<code key={name} className="mr-1 text-xs">{`{{${name}}}`}</code>
					))}
					. Saving a changed template adds a version; runs record the version they used.
				</p>
			</div>
			<Form method="post" className="space-y-3">
				<input type="hidden" name="intent" value="save-template" />
				<label htmlFor="judge-template" className="label">
					Template
				</label>
				<textarea
					id="judge-template"
					name="content"
					rows={18}
					className="input font-mono text-xs"
					value={content}
					onChange={(event) => setContent(event.target.value)}
				/>
				<Errors errors={saveErrors} />
				{actionData?.intent === 'save-template' && actionData.saved !== null ? (
					<p role="status" className="text-sm text-emerald-700">
						Saved as version {actionData.saved}.
					</p>
				) : null}
				<div className="flex flex-wrap gap-2">
					<button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
						Save template
					</button>
					<button
						type="button"
						className="btn-secondary"
						onClick={() => preview.submit({ content }, { method: 'post', action: `/projects/${slug}/judge/preview` })}
					>
						Preview
					</button>
					<button type="button" className="btn-secondary" onClick={() => setContent(DEFAULT_JUDGE_TEMPLATE)}>
						Reset to default
					</button>
				</div>
			</Form>
			{preview.data ? (
				preview.data.error ? (
					<p className="field-error" role="alert">
						{preview.data.error}
					</p>
				) : (
					<div aria-label="Prompt preview" className="space-y-1">
						<p className="text-xs text-slate-500">
							{preview.data.itemExternalId
								? `As the judge would see item ${preview.data.itemExternalId}, responses in their own order:`
								: 'With a sample item (the project has no servable items yet):'}
						</p>
						<pre className="max-h-96 overflow-auto rounded bg-slate-50 p-3 text-xs whitespace-pre-wrap">
							{preview.data.prompt}
						</pre>
					</div>
				)
			) : null}
		</section>
	)
}

export default function ProjectJudgePage() {
	const { project, canManage, endpoints, runs, template, versions } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	useExportPolling(runs.some(isActive))
	const runErrors = actionData?.intent === 'run' ? (actionData.errors ?? []) : []
	return (
		<main className="mx-auto max-w-5xl space-y-6 px-6 py-8">
			<ProjectHeader project={project} canManage={canManage} />
			<section className="card space-y-4">
				<div>
					<h2 className="text-lg font-semibold">Run an AI judge</h2>
					<p className="text-sm text-slate-600">
						The endpoint judges every servable item twice, once in each order; agreeing verdicts become its judgment,
						disagreeing ones a tie marked position-inconsistent. Its judgments never count towards the human overlap
						{project.judging.routing ? ', except through hybrid routing (see Settings)' : ''}.
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
						<input type="hidden" name="intent" value="run" />
						<div className="grid gap-3 sm:grid-cols-2">
							<div>
								<label htmlFor="judge-endpoint" className="label">
									Judge endpoint
								</label>
								<select id="judge-endpoint" name="endpointId" className="input">
									{endpoints.map((endpoint) => (
										<option key={endpoint.id} value={endpoint.id}>
											{endpoint.name} ({endpoint.model})
										</option>
									))}
								</select>
							</div>
							<div>
								<label htmlFor="judge-filter" className="label">
									Items: all, or those whose metadata contains (JSON)
								</label>
								<input id="judge-filter" name="filter" className="input font-mono" placeholder='{"source": "eval"}' />
							</div>
						</div>
						<Errors errors={runErrors} />
						<button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
							Start judge run
						</button>
					</Form>
				)}
			</section>
			<section aria-label="Judge runs" className="space-y-3">
				<h2 className="text-lg font-semibold">Runs</h2>
				{runs.length === 0 ? <p className="text-sm text-slate-500">No judge runs yet.</p> : null}
				<ul className="space-y-3">
					{runs.map((run) => (
						<RunRow key={run.id} run={run} />
					))}
				</ul>
			</section>
			<TemplateEditor
				key={template.version}
				slug={project.slug}
				version={template.version}
				initial={template.content}
			/>
			<section className="card space-y-2" aria-label="Template versions">
				<h2 className="text-lg font-semibold">Template history</h2>
				{versions.length === 0 ? (
					<p className="text-sm text-slate-500">Only the built-in default so far.</p>
				) : (
					<ul className="space-y-2">
						{versions.map((version) => (
							<li key={version.version}>
								<details>
									<summary className="cursor-pointer text-sm">
										Version {version.version} · {new Date(version.createdAt).toLocaleString()} · {version.by ?? '—'}
									</summary>
									<pre className="mt-2 max-h-64 overflow-auto rounded bg-slate-50 p-3 text-xs whitespace-pre-wrap">
										{version.content}
									</pre>
								</details>
							</li>
						))}
					</ul>
				)}
			</section>
		</main>
	)
}
