import { useEffect, useRef, useState } from 'react'
import { data, Form, useActionData, useFetcher, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/project-guidelines'
import type { action as previewAction } from './project-guidelines-preview.ts'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { RenderedHtml } from '#app/components/workspace/response-card.tsx'
import { renderMarkdown } from '#app/modules/content/render-markdown.server.ts'
import {
	getCurrentGuidelines,
	getProjectForGuidelines,
	listGuidelineVersions,
	saveGuidelines,
} from '#app/modules/projects/guidelines.server.ts'
import { canManageProjects, canReadProjects } from '#app/modules/projects/policies.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { AppError } from '#app/utils/errors.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [
	{ title: `Guidelines · ${data?.project.name ?? 'Project'} · Quorum` },
]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	const project = await getProjectForGuidelines({ slug: params.slug, user })
	const canManage = canManageProjects(user)
	const [current, versions] = await Promise.all([
		getCurrentGuidelines({ projectId: project.id }),
		canReadProjects(user) ? listGuidelineVersions({ projectId: project.id }) : [],
	])
	return {
		project: serializeProject(project),
		canManage,
		canRead: canReadProjects(user),
		current: {
			version: current.version,
			content: canManage ? current.content : '',
			html: renderMarkdown(current.content),
		},
		versions: versions.map((version) => ({
			version: version.version,
			content: version.content,
			createdAt: version.createdAt.toISOString(),
			by: version.createdBy?.displayName ?? null,
		})),
	}
})

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUser(request)
	const form = await request.formData()
	try {
		const saved = await saveGuidelines({ slug: params.slug, user, input: { content: form.get('content') ?? '' } })
		return { saved, error: null }
	} catch (error) {
		if (error instanceof AppError && error.code === 'INVALID')
			return data({ saved: null, error: error.fieldErrors?.[0]?.message ?? error.message }, { status: 422 })
		throw error
	}
})

function Editor({
	slug,
	initial,
	initialHtml,
	version,
}: {
	slug: string
	initial: string
	initialHtml: string
	version: number
}) {
	const [content, setContent] = useState(initial)
	const preview = useFetcher<typeof previewAction>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const lastSent = useRef(initial)
	const { submit } = preview

	useEffect(() => {
		if (content === lastSent.current) return
		const timer = setTimeout(() => {
			lastSent.current = content
			void submit({ content }, { method: 'post', action: `/projects/${slug}/guidelines/preview` })
		}, 300)
		return () => clearTimeout(timer)
	}, [content, submit, slug])

	const html = preview.data?.html ?? initialHtml
	const dirty = content !== initial
	return (
		<Form method="post" className="space-y-3" aria-label="Edit guidelines">
			<div className="grid gap-4 lg:grid-cols-2">
				<div>
					<label htmlFor="guidelines-content" className="label">
						Markdown
					</label>
					<textarea
						id="guidelines-content"
						name="content"
						value={content}
						onChange={(event) => setContent(event.target.value)}
						rows={24}
						className="input font-mono text-xs"
						spellCheck
					/>
				</div>
				<div>
					<p className="label" id="preview-label">
						Preview {preview.state !== 'idle' ? <span className="font-normal text-slate-400">(updating…)</span> : null}
					</p>
					<div aria-labelledby="preview-label" className="card min-h-96 overflow-auto" data-testid="guidelines-preview">
						{content.trim() ? (
							<RenderedHtml html={html} />
						) : (
							<p className="text-sm text-slate-500">Nothing to preview yet.</p>
						)}
					</div>
				</div>
			</div>
			<div className="flex items-center justify-between gap-3">
				<p className="text-sm text-slate-600" role="status">
					{actionData?.saved
						? actionData.saved.created
							? `Saved as version ${actionData.saved.version}.`
							: `No changes: version ${actionData.saved.version} already has this text.`
						: dirty
							? `Unsaved changes to version ${version}.`
							: version > 0
								? `Version ${version} is current.`
								: 'No guidelines yet.'}
				</p>
				{actionData?.error ? <p className="field-error">{actionData.error}</p> : null}
				<button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
					Save as new version
				</button>
			</div>
		</Form>
	)
}

export default function ProjectGuidelinesPage() {
	const { project, canManage, canRead, current, versions } = useLoaderData<typeof loader>()
	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			{canRead ? (
				<ProjectHeader project={project} canManage={canManage} />
			) : (
				<h1 className="text-2xl font-bold tracking-tight">Guidelines · {project.name}</h1>
			)}
			{canManage ? (
				<>
					<p className="text-sm text-slate-600">
						Annotators always see the current version, and each judgment records the version it was made under. Raw HTML
						and images are shown as text.
					</p>
					<Editor
						key={current.version}
						slug={project.slug}
						initial={current.content}
						initialHtml={current.html}
						version={current.version}
					/>
				</>
			) : current.version > 0 && current.html ? (
				<article className="card" aria-label={`Guidelines version ${current.version}`}>
					<RenderedHtml html={current.html} />
				</article>
			) : (
				<p className="card text-slate-600">This project has no guidelines yet.</p>
			)}

			{versions.length > 0 ? (
				<section className="card space-y-2" aria-labelledby="history-heading">
					<h2 id="history-heading" className="font-semibold">
						Version history
					</h2>
					<ol className="divide-y divide-slate-100 text-sm">
						{versions.map((version) => (
							<li key={version.version} className="py-2">
								<details>
									<summary className="cursor-pointer">
										<span className="font-medium">Version {version.version}</span>
										{version.version === current.version ? (
											<span className="ml-2 rounded bg-emerald-100 px-1.5 text-xs text-emerald-800">current</span>
										) : null}
										<span className="ml-2 text-slate-500">
											{version.by ? `${version.by}, ` : ''}
											{new Date(version.createdAt).toLocaleString()} · {version.content.length.toLocaleString('en-US')}{' '}
											characters
										</span>
									</summary>
									<pre className="mt-2 max-h-80 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-3 font-mono text-xs">
										{version.content || '(empty)'}
									</pre>
								</details>
							</li>
						))}
					</ol>
				</section>
			) : null}
		</main>
	)
}
