import { useEffect, useRef, useState } from 'react'
import { data, Form, useActionData, useFetcher, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/project-exports'
import type { action as previewAction } from './project-exports-preview.ts'
import { DataTable, type DataTableColumn } from '#app/components/data-table.tsx'
import {
	ExportActions,
	ExportDetails,
	ExportProgress,
	isActive,
	useExportPolling,
} from '#app/components/export-jobs.tsx'
import { FieldErrors } from '#app/components/field-errors.tsx'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { cancelExport } from '#app/modules/exports/cancel-export.server.ts'
import { ExportListQuerySchema, requestFromForm } from '#app/modules/exports/export.schema.ts'
import { listProjectExports } from '#app/modules/exports/list-exports.server.ts'
import { requestExport } from '#app/modules/exports/request-export.server.ts'
import type { ExportView } from '#app/modules/exports/serialize-export.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { canManageProjects } from '#app/modules/projects/policies.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { AppError, type FieldError } from '#app/utils/errors.ts'
import { clientIp } from '#app/utils/request.server.ts'
import { route } from '#app/utils/route.server.ts'
import { datasetFormats, formatNames, type FormatName } from '#exports/formats/index.ts'

export const meta: Route.MetaFunction = ({ data }) => [
	{ title: `Exports · ${data?.project.name ?? 'Project'} · Quorum` },
]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUserWithPermission(request, 'create:exports')
	const project = await getProjectForUser({ slug: params.slug, user, access: 'read' })
	const query = ExportListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	const jobs = await listProjectExports({ projectId: project.id, user, query, withManifest: true })
	return { project: serializeProject(project), canManage: canManageProjects(user), ...jobs }
})

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUserWithPermission(request, 'create:exports')
	const form = await request.formData()
	if (form.get('intent') === 'cancel') {
		const cancelled = await cancelExport({ exportId: String(form.get('exportId') ?? ''), user, ip: clientIp(request) })
		return { created: null, cancelled: cancelled.id, errors: null as FieldError[] | null }
	}
	try {
		const created = await requestExport({
			slug: params.slug,
			user,
			input: requestFromForm(form),
			ip: clientIp(request),
		})
		return { created: created.id, cancelled: null, errors: null as FieldError[] | null }
	} catch (error) {
		if (error instanceof AppError && error.code === 'INVALID')
			return data({ created: null, cancelled: null, errors: error.fieldErrors ?? [] }, { status: 422 })
		throw error
	}
})

const columns = (cancelAction: string, now: number): DataTableColumn<ExportView>[] => [
	{
		id: 'createdAt',
		accessorKey: 'createdAt',
		header: 'Requested',
		cell: ({ row }) => <span className="whitespace-nowrap">{new Date(row.original.createdAt).toLocaleString()}</span>,
	},
	{
		id: 'format',
		accessorKey: 'format',
		header: 'Format',
		cell: ({ row }) => (
			<span>
				<span className="font-mono text-xs">{row.original.format}</span>
				<span className="block text-xs text-slate-500">
					{String(row.original.options.aggregation ?? 'per-judgment')}
				</span>
			</span>
		),
	},
	{
		id: 'status',
		accessorKey: 'status',
		header: 'Status',
		cell: ({ row }) => <ExportProgress job={row.original} now={now} />,
	},
	{ id: 'rows', header: 'Rows', enableSorting: false, cell: ({ row }) => row.original.rows.toLocaleString('en-US') },
	{ id: 'requestedBy', header: 'By', enableSorting: false, cell: ({ row }) => row.original.requestedBy ?? '—' },
	{
		id: 'actions',
		header: 'Files',
		enableSorting: false,
		cell: ({ row }) => <ExportActions job={row.original} cancelAction={cancelAction} />,
	},
	{ id: 'details', header: 'Manifest', enableSorting: false, cell: ({ row }) => <ExportDetails job={row.original} /> },
]

type PreviewData = NonNullable<Awaited<ReturnType<typeof previewAction>>>

function cellText(value: unknown) {
	const text = typeof value === 'string' ? value : JSON.stringify(value)
	return text === undefined ? '' : text.length > 160 ? `${text.slice(0, 160)}…` : text
}

function Preview({ fetcher }: { fetcher: ReturnType<typeof useFetcher<typeof previewAction>> }) {
	const result = fetcher.data as PreviewData | undefined
	const busy = fetcher.state !== 'idle'
	if (!result)
		return (
			<p className="text-sm text-slate-500">{busy ? 'Computing the preview…' : 'Change an option to see a preview.'}</p>
		)
	if (!('preview' in result) || !result.preview) {
		return (
			<FieldErrors
				errors={(result as { errors?: FieldError[] }).errors}
				className="rounded border border-rose-200 bg-rose-50 p-3 text-sm text-rose-800"
			/>
		)
	}
	const preview = result.preview
	const { expected, source } = preview
	return (
		<div className={`space-y-3 ${busy ? 'opacity-60' : ''}`} data-testid="export-preview">
			<p className="text-sm text-slate-700" role="status">
				{source.judgments.toLocaleString('en-US')} judgments on {source.items.toLocaleString('en-US')} items (
				{source.adjudicatedItems.toLocaleString('en-US')} adjudicated).{' '}
				<strong>
					{expected.exact ? '' : 'About '}
					{expected.total.toLocaleString('en-US')} rows
				</strong>{' '}
				expected: {expected.train.toLocaleString('en-US')} train, {expected.test.toLocaleString('en-US')} test
				{expected.exact
					? '.'
					: ` (extrapolated from the first ${preview.sample.records.toLocaleString('en-US')} records).`}
			</p>
			{Object.keys(preview.sample.skipped).length > 0 ? (
				<p className="text-xs text-slate-600">
					{expected.exact ? 'Left out: ' : 'Left out in the sample: '}
					{Object.entries(preview.sample.skipped)
						.map(([reason, n]) => `${reason} ${n}`)
						.join(', ')}
				</p>
			) : null}
			{preview.excludeAnnotators.length > 0 ? (
				<p className="text-xs text-slate-600">Excluded annotators: {preview.excludeAnnotators.join(', ')}</p>
			) : null}
			{preview.rows.length === 0 ? (
				<p className="text-sm text-slate-500">No rows: nothing matches these options yet.</p>
			) : (
				<div className="max-h-96 overflow-auto rounded border border-slate-200">
					<table className="w-full text-left text-xs">
						<caption className="sr-only">First rows of the export</caption>
						<thead className="sticky top-0 bg-slate-50 text-slate-500">
							<tr>
								<th scope="col" className="px-2 py-1">
									split
								</th>
								{preview.columns.map((column) => (
									<th key={column} scope="col" className="px-2 py-1 font-mono">
										{column}
									</th>
								))}
							</tr>
						</thead>
						<tbody>
							{preview.rows.map((entry, index) => (
								<tr key={index} className="border-t border-slate-100 align-top">
									<td className="px-2 py-1">{entry.split}</td>
									{preview.columns.map((column) => (
										<td key={column} className="max-w-xs break-words px-2 py-1 font-mono" dir="auto">
											{cellText(entry.row[column])}
										</td>
									))}
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
		</div>
	)
}

function Field({
	label,
	htmlFor,
	hint,
	children,
}: {
	label: string
	htmlFor?: string
	hint?: string
	children: React.ReactNode
}) {
	return (
		<div>
			<label htmlFor={htmlFor} className="label">
				{label}
			</label>
			{children}
			{hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
		</div>
	)
}

function ExportForm({ slug, errors }: { slug: string; errors: FieldError[] | null }) {
	const preview = useFetcher<typeof previewAction>()
	const navigation = useNavigation()
	const formRef = useRef<HTMLFormElement>(null)
	const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
	const [format, setFormat] = useState<FormatName>('trl-preference')
	const definition = datasetFormats[format]
	const { submit } = preview

	const refresh = () => {
		clearTimeout(timer.current)
		timer.current = setTimeout(() => {
			if (!formRef.current) return
			const body = new FormData(formRef.current)
			body.delete('intent')
			void submit(body, { method: 'post', action: `/projects/${slug}/exports/preview` })
		}, 250)
	}
	// The first preview, with the defaults, as soon as the page is interactive.
	useEffect(() => {
		refresh()
		return () => clearTimeout(timer.current)
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [])

	const errorFor = (path: string) =>
		errors?.find(
			(error) => error.path === path || error.path.startsWith(`${path}.`) || error.path.startsWith(`${path}[`),
		)?.message
	return (
		<div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
			<Form method="post" ref={formRef} onChange={refresh} className="card space-y-4" aria-label="New export">
				<input type="hidden" name="intent" value="create" />
				<Field label="Format" htmlFor="format" hint={definition.summary.split('. ')[0]}>
					<select
						id="format"
						name="format"
						className="input"
						value={format}
						onChange={(event) => setFormat(event.target.value as FormatName)}
					>
						{formatNames.map((name) => (
							<option key={name} value={name}>
								{datasetFormats[name].title} ({name})
							</option>
						))}
					</select>
				</Field>
				<fieldset>
					<legend className="label">Aggregation</legend>
					<div className="flex gap-4 text-sm">
						<label className="flex items-center gap-1">
							<input type="radio" name="aggregation" value="per-judgment" defaultChecked /> one row set per judgment
						</label>
						<label className="flex items-center gap-1">
							<input type="radio" name="aggregation" value="consensus" /> per item (consensus)
						</label>
						<label className="flex items-center gap-1">
							<input type="radio" name="aggregation" value="dawid-skene" /> per item (Dawid–Skene, votes weighed by
							reliability)
						</label>
					</div>
				</fieldset>
				<fieldset>
					<legend className="label">Judgments by</legend>
					<div className="flex gap-4 text-sm">
						<label className="flex items-center gap-1">
							<input type="radio" name="annotators" value="human" defaultChecked /> people
						</label>
						<label className="flex items-center gap-1">
							<input type="radio" name="annotators" value="ai" /> AI judges only
						</label>
						<label className="flex items-center gap-1">
							<input type="radio" name="annotators" value="all" /> both
						</label>
					</div>
				</fieldset>
				{definition.usesStyle ? (
					<Field label="Style" htmlFor="style">
						<select id="style" name="style" className="input" defaultValue="standard">
							<option value="standard">standard (strings)</option>
							<option value="conversational">conversational (message lists)</option>
						</select>
					</Field>
				) : null}
				<Field
					label="Ties and both-bad"
					htmlFor="ties"
					hint={definition.tieNote({ options: { ties: 'drop' } as never })}
				>
					<select id="ties" name="ties" className="input" defaultValue="drop">
						<option value="drop">drop (a preference pair needs a winner)</option>
						<option value="raw">keep where the format can say so</option>
					</select>
				</Field>
				{definition.usesMargin ? (
					<Field label="Margin" htmlFor="margin">
						<select id="margin" name="margin" className="input" defaultValue="none">
							<option value="none">none</option>
							<option value="llama2-small">Llama 2 small (1, 2/3, 1/3, 0)</option>
							<option value="llama2-large">Llama 2 large (3, 2, 1, 0)</option>
						</select>
					</Field>
				) : null}
				<div className="grid grid-cols-2 gap-3">
					<Field label="Minimum agreement" htmlFor="minAgreement" hint="0–1; adjudicated items pass">
						<input
							id="minAgreement"
							name="minAgreement"
							type="number"
							min={0}
							max={1}
							step={0.05}
							className="input"
							aria-invalid={!!errorFor('options.minAgreement')}
						/>
					</Field>
					<Field label="Gold accuracy bar" htmlFor="minGoldAccuracy" hint="exclude annotators below it">
						<input
							id="minGoldAccuracy"
							name="minGoldAccuracy"
							type="number"
							min={0}
							max={1}
							step={0.05}
							className="input"
							aria-invalid={!!errorFor('options.minGoldAccuracy')}
						/>
					</Field>
					<Field label="Minimum confidence" htmlFor="minConfidence" hint="0–1, Dawid–Skene; adjudicated items pass">
						<input
							id="minConfidence"
							name="minConfidence"
							type="number"
							min={0}
							max={1}
							step={0.05}
							className="input"
							aria-invalid={!!errorFor('options.minConfidence')}
						/>
					</Field>
				</div>
				<Field label="Exclude annotators" htmlFor="excludeAnnotators" hint="pseudonyms, separated by commas or spaces">
					<input id="excludeAnnotators" name="excludeAnnotators" className="input" placeholder="annotator-1a2b3c4d" />
				</Field>
				<label className="flex items-center gap-2 text-sm">
					<input type="checkbox" name="onlyAdjudicated" /> only adjudicated items
				</label>
				<div className="grid grid-cols-2 gap-3">
					<Field label="Test split" htmlFor="splitTest" hint="fraction of prompts, 0–1">
						<input
							id="splitTest"
							name="splitTest"
							type="number"
							min={0}
							max={1}
							step={0.05}
							defaultValue={0}
							className="input"
						/>
					</Field>
					<Field label="Split seed" htmlFor="splitSeed">
						<input id="splitSeed" name="splitSeed" defaultValue="0" className="input" />
					</Field>
				</div>
				<label className="flex items-center gap-2 text-sm">
					<input type="checkbox" name="dedupe" defaultChecked /> drop duplicate rows
				</label>
				<fieldset>
					<legend className="label">Files</legend>
					<div className="flex flex-wrap gap-4 text-sm">
						<label className="flex items-center gap-1">
							<input type="checkbox" name="files" value="parquet" defaultChecked /> Parquet
						</label>
						<label className="flex items-center gap-1">
							<input type="checkbox" name="files" value="jsonl" /> JSONL
						</label>
						<label className="flex items-center gap-1">
							<input type="checkbox" name="gzip" /> gzip the JSONL
						</label>
					</div>
				</fieldset>
				<FieldErrors errors={errors} />
				<button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
					Start export
				</button>
			</Form>
			<section aria-labelledby="preview-heading" className="card space-y-3">
				<h2 id="preview-heading" className="font-semibold">
					Preview
				</h2>
				<Preview fetcher={preview} />
			</section>
		</div>
	)
}

export default function ProjectExportsPage() {
	const { project, canManage, exports, total } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const active = exports.some(isActive)
	const now = useExportPolling(active)
	return (
		<main className="mx-auto max-w-7xl space-y-6 px-6 py-10">
			<ProjectHeader project={project} canManage={canManage} />
			<h2 className="text-lg font-semibold">New export</h2>
			<ExportForm slug={project.slug} errors={actionData?.errors ?? null} />
			{actionData?.created ? (
				<p role="status" className="text-sm text-emerald-700">
					Export queued. It appears below and updates as it runs.
				</p>
			) : null}
			<h2 className="text-lg font-semibold">Exports</h2>
			<DataTable
				caption="Exports"
				columns={columns(`/projects/${project.slug}/exports`, now)}
				data={exports}
				total={total}
				getRowId={(job) => job.id}
				defaultSort={{ id: 'createdAt', desc: true }}
				emptyState="No exports yet. Choose a format and options above, check the preview, and start one."
			/>
		</main>
	)
}
