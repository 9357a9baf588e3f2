import { useRef, useState } from 'react'
import { Link, useLoaderData, useRevalidator } from 'react-router'
import type { Route } from './+types/project-import'
import { ImportReport, type ImportReportView } from '#app/components/import-report.tsx'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { listImports } from '#app/modules/imports/list-imports.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [
	{ title: `Import · ${data?.project.name ?? 'Project'} · Quorum` },
]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUserWithPermission(request, 'import:items')
	const project = await getProjectForUser({ slug: params.slug, user, access: 'manage' })
	return { project: serializeProject(project), imports: await listImports({ projectId: project.id, limit: 10 }) }
})

const TYPES: Record<string, string> = {
	jsonl: 'application/x-ndjson',
	ndjson: 'application/x-ndjson',
	csv: 'text/csv',
	parquet: 'application/vnd.apache.parquet',
	pq: 'application/vnd.apache.parquet',
}

type Upload =
	| { state: 'idle' }
	| { state: 'uploading'; loaded: number; total: number }
	| { state: 'processing' }
	| { state: 'done'; report: ImportReportView }
	| { state: 'failed'; message: string }

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 1 : 0)} MB`

/** Sends the file as the raw request body, so the server streams it and the browser reports upload progress. */
function uploadFile({
	url,
	file,
	onProgress,
}: {
	url: string
	file: File
	onProgress: (loaded: number, total: number) => void
}) {
	return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
		const xhr = new XMLHttpRequest()
		xhr.open('POST', url)
		const extension = file.name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? ''
		xhr.setRequestHeader('Content-Type', TYPES[extension] ?? (file.type || 'application/octet-stream'))
		xhr.setRequestHeader('Accept', 'application/json')
		xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size)
		xhr.upload.onload = () => onProgress(file.size, file.size)
		xhr.onload = () => {
			let body: unknown
			try {
				body = JSON.parse(xhr.responseText)
			} catch {
				body = null
			}
			resolve({ status: xhr.status, body })
		}
		xhr.onerror = () => reject(new Error('The upload failed: the server could not be reached.'))
		xhr.onabort = () => reject(new Error('The upload was cancelled.'))
		xhr.send(file)
	})
}

export default function ProjectImportPage() {
	const { project, imports } = useLoaderData<typeof loader>()
	const revalidator = useRevalidator()
	const fileInput = useRef<HTMLInputElement>(null)
	const [skipInvalid, setSkipInvalid] = useState(false)
	const [upload, setUpload] = useState<Upload>({ state: 'idle' })
	const busy = upload.state === 'uploading' || upload.state === 'processing'

	async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
		event.preventDefault()
		const file = fileInput.current?.files?.[0]
		if (!file) {
			setUpload({ state: 'failed', message: 'Choose a file to import.' })
			return
		}
		const params = new URLSearchParams({ filename: file.name })
		if (skipInvalid) params.set('skipInvalid', 'true')
		setUpload({ state: 'uploading', loaded: 0, total: file.size })
		try {
			const { status, body } = await uploadFile({
				url: `/projects/${project.slug}/import/file?${params}`,
				file,
				onProgress: (loaded, total) =>
					setUpload(loaded >= total ? { state: 'processing' } : { state: 'uploading', loaded, total }),
			})
			const payload = (body ?? {}) as Partial<ImportReportView> & { detail?: string; errors?: unknown }
			if ((status === 200 || status === 422) && typeof payload.imported === 'number') {
				setUpload({ state: 'done', report: payload as ImportReportView })
			} else {
				setUpload({ state: 'failed', message: payload.detail ?? `The import failed (HTTP ${status}).` })
			}
		} catch (error) {
			setUpload({ state: 'failed', message: error instanceof Error ? error.message : String(error) })
		}
		void revalidator.revalidate()
	}

	const percent =
		upload.state === 'uploading' && upload.total > 0
			? Math.round((upload.loaded / upload.total) * 100)
			: upload.state === 'processing'
				? 100
				: 0
	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			<ProjectHeader project={project} canManage />

			<form className="card space-y-4" onSubmit={onSubmit} aria-labelledby="upload-heading">
				<h2 id="upload-heading" className="font-semibold">
					Import items
				</h2>
				<p className="text-sm text-slate-600">
					JSONL, CSV or Parquet. Every line is checked; by default a file with any invalid line imports nothing, and the
					report lists every bad line. Importing the same file again changes nothing.
				</p>
				<noscript>
					<p className="field-error">
						Uploading from the browser needs JavaScript; use the API or `quorum import` instead.
					</p>
				</noscript>
				<div>
					<label htmlFor="import-file" className="label">
						File
					</label>
					<input
						ref={fileInput}
						id="import-file"
						name="file"
						type="file"
						accept=".jsonl,.ndjson,.csv,.parquet,.pq"
						className="block text-sm"
						disabled={busy}
						onChange={() => setUpload({ state: 'idle' })}
					/>
				</div>
				<label className="flex items-center gap-2 text-sm">
					<input
						type="checkbox"
						checked={skipInvalid}
						onChange={(event) => setSkipInvalid(event.target.checked)}
						disabled={busy}
					/>
					Skip invalid lines (import the valid ones and report the rest)
				</label>
				<div className="flex items-center gap-3">
					<button type="submit" className="btn-primary" disabled={busy}>
						Upload and import
					</button>
					{upload.state === 'uploading' || upload.state === 'processing' ? (
						<div className="flex flex-1 items-center gap-3">
							<progress
								className="h-2 flex-1 accent-indigo-600"
								max={100}
								value={upload.state === 'processing' ? undefined : percent}
								aria-label="Upload progress"
							>
								{percent}%
							</progress>
							<span className="text-sm text-slate-600" role="status">
								{upload.state === 'uploading'
									? `Uploading ${percent}% (${megabytes(upload.loaded)} of ${megabytes(upload.total)})`
									: 'Validating and importing…'}
							</span>
						</div>
					) : null}
				</div>
				{upload.state === 'failed' ? (
					<p role="alert" className="field-error">
						{upload.message}
					</p>
				) : null}
			</form>

			{upload.state === 'done' ? (
				<>
					<ImportReport report={upload.report} />
					{!upload.report.refused ? (
						<p className="text-sm">
							<Link to={`/projects/${project.slug}/items`} className="text-indigo-700 underline">
								See the items
							</Link>{' '}
							or{' '}
							<Link to={`/projects/${project.slug}`} className="text-indigo-700 underline">
								go to the dashboard
							</Link>
							.
						</p>
					) : null}
				</>
			) : null}

			<section className="card space-y-3 text-sm" aria-labelledby="shapes-heading">
				<h2 id="shapes-heading" className="font-semibold">
					Line shapes
				</h2>
				<p className="text-slate-600">
					Each line is detected on its own. In CSV and Parquet the fields are columns; nested fields are JSON text.
				</p>
				<dl className="space-y-3">
					<div>
						<dt className="font-medium">Canonical</dt>
						<dd>
							<pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs">{`{"id": "q1", "prompt": "…", "responses": [{"model": "a", "content": "…"}, {"model": "b", "content": "…"}], "metadata": {…}, "gold": "r1"}`}</pre>
						</dd>
					</div>
					<div>
						<dt className="font-medium">Pairwise shorthand</dt>
						<dd>
							<pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs">{`{"id": "q2", "prompt": "…", "response_a": "…", "response_b": "…", "model_a": "a", "model_b": "b"}`}</pre>
						</dd>
					</div>
					<div>
						<dt className="font-medium">Existing preference data to re-judge</dt>
						<dd>
							<pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs">{`{"prompt": "…", "chosen": "…", "rejected": "…"}`}</pre>
							<p className="mt-1 text-slate-600">
								Shown in random order; the original label is kept in the item’s metadata.
							</p>
						</dd>
					</div>
				</dl>
			</section>

			<section className="card space-y-2" aria-labelledby="history-heading">
				<h2 id="history-heading" className="font-semibold">
					Previous imports
				</h2>
				{imports.length === 0 ? (
					<p className="text-sm text-slate-500">None yet.</p>
				) : (
					<ul className="divide-y divide-slate-100 text-sm">
						{imports.map((entry) => (
							<li key={entry.id} className="flex flex-wrap justify-between gap-2 py-2">
								<span>
									<span className="font-mono">{entry.filename ?? entry.format}</span>{' '}
									{entry.refused ? (
										<span className="text-rose-700">refused ({entry.errorCount.toLocaleString('en-US')} errors)</span>
									) : (
										<span className="text-slate-600">
											{entry.imported.toLocaleString('en-US')} new · {entry.updated.toLocaleString('en-US')} updated ·{' '}
											{entry.unchanged.toLocaleString('en-US')} unchanged
										</span>
									)}
								</span>
								<span className="text-slate-500">{new Date(entry.createdAt).toLocaleString()}</span>
							</li>
						))}
					</ul>
				)}
			</section>
		</main>
	)
}
