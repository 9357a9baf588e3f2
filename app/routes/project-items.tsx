import { Form, Link, useLoaderData, useSearchParams } from 'react-router'
import type { Route } from './+types/project-items'
import { DataTable, type DataTableColumn } from '#app/components/data-table.tsx'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { listItems, type ItemStatus } from '#app/modules/projects/list-items.server.ts'
import { assertCanReadProjects, canManageProjects } from '#app/modules/projects/policies.ts'
import { ITEM_STATUSES, ItemListQuerySchema } from '#app/modules/projects/project.schema.ts'
import { getProjectCounts } from '#app/modules/projects/project-stats.server.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Items · ${data?.project.name ?? 'Project'} · Quorum` }]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	assertCanReadProjects(user)
	const project = await getProjectForUser({ slug: params.slug, user, access: 'read' })
	const query = ItemListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	const [page, counts] = await Promise.all([
		listItems({ projectId: project.id, query, comparison: project.taskType === 'comparison' }),
		getProjectCounts({ projectId: project.id, overlap: project.overlap }),
	])
	return { project: serializeProject(project), canManage: canManageProjects(user), ...page, counts }
})

type ItemRow = Awaited<ReturnType<typeof loader>>['items'][number]

const statusStyles: Record<ItemStatus, string> = {
	waiting: 'bg-violet-100 text-violet-800',
	open: 'bg-slate-100 text-slate-700',
	'in-progress': 'bg-sky-100 text-sky-800',
	complete: 'bg-emerald-100 text-emerald-800',
	gold: 'bg-amber-100 text-amber-800',
}

const statusLabels: Record<ItemStatus, string> = {
	waiting: 'Waiting for responses',
	open: 'Open',
	'in-progress': 'In progress',
	complete: 'Complete',
	gold: 'Gold',
}

function columnsFor(overlap: number, comparison: boolean): DataTableColumn<ItemRow>[] {
	return [
		{
			id: 'externalId',
			accessorKey: 'externalId',
			header: 'External id',
			cell: ({ row }) => <span className="font-mono text-xs">{row.original.externalId}</span>,
		},
		{
			id: 'preview',
			header: 'Prompt',
			enableSorting: false,
			cell: ({ row }) => (
				<span className="line-clamp-2 max-w-md text-slate-700" dir="auto">
					{row.original.preview}
				</span>
			),
		},
		{
			id: 'status',
			header: 'Status',
			enableSorting: false,
			cell: ({ row }) => (
				<span className={`whitespace-nowrap rounded px-2 py-0.5 text-xs ${statusStyles[row.original.status]}`}>
					{statusLabels[row.original.status]}
					{row.original.activeLeases > 0 ? ` · ${row.original.activeLeases} leased` : ''}
					{row.original.generationIssue === 'duplicate-responses'
						? ' · responses stayed near-duplicates'
						: row.original.generationIssue === 'too-few-responses'
							? ' · generation failed'
							: row.original.generationIssue === 'one-model'
								? ' · all responses from one model: a battle needs two'
								: ''}
				</span>
			),
		},
		{
			id: 'judgmentCount',
			accessorKey: 'judgmentCount',
			header: 'Judgments',
			cell: ({ row }) =>
				row.original.status === 'gold' ? row.original.judgmentCount : `${row.original.judgmentCount} / ${overlap}`,
		},
		{ id: 'responses', header: 'Responses', enableSorting: false, cell: ({ row }) => row.original.responseCount },
		{
			id: 'models',
			header: 'Models',
			enableSorting: false,
			cell: ({ row }) => (
				<ul className="flex max-w-xs flex-wrap gap-1" aria-label="Models">
					{row.original.models.map((model, i) => (
						<li key={i} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
							{model ?? <span className="italic text-slate-400">none</span>}
						</li>
					))}
				</ul>
			),
		},
		...(comparison
			? [
					{
						id: 'battles',
						header: 'Battles per pair',
						enableSorting: false,
						cell: ({ row }) =>
							row.original.battles?.length ? (
								<ul className="space-y-0.5 whitespace-nowrap font-mono text-xs" data-testid="item-battles">
									{row.original.battles.map((entry) => (
										<li key={entry.pair.join(',')}>
											{entry.pair.join(' vs ')}: {entry.battles}{' '}
											<span className="text-slate-500">
												({entry.wins[0]}–{entry.wins[1]}
												{entry.ties ? `, ${entry.ties} tie${entry.ties > 1 ? 's' : ''}` : ''}
												{entry.bothBad ? `, ${entry.bothBad} both bad` : ''})
											</span>
										</li>
									))}
								</ul>
							) : (
								<span className="text-xs text-slate-400">none yet</span>
							),
					} satisfies DataTableColumn<ItemRow>,
				]
			: []),
		{
			id: 'createdAt',
			accessorKey: 'createdAt',
			header: 'Imported',
			cell: ({ row }) => new Date(row.original.createdAt).toLocaleString(),
		},
	]
}

export default function ProjectItemsPage() {
	const { project, canManage, items, total, counts } = useLoaderData<typeof loader>()
	const [searchParams, setSearchParams] = useSearchParams()
	const activeStatus = searchParams.get('status') ?? ''
	const countFor: Record<ItemStatus, number> = {
		waiting: counts.waitingCount,
		open: counts.openCount,
		'in-progress': counts.inProgressCount,
		complete: counts.completeCount,
		gold: counts.goldCount,
	}
	const filtered = searchParams.has('status') || searchParams.has('q')
	const setStatus = (status: string) =>
		setSearchParams((previous) => {
			const next = new URLSearchParams(previous)
			if (status) next.set('status', status)
			else next.delete('status')
			next.delete('page')
			return next
		})

	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			<ProjectHeader project={project} canManage={canManage} />

			<div className="flex flex-wrap items-end justify-between gap-4">
				<div role="group" aria-label="Filter by status" className="flex flex-wrap gap-1 text-sm">
					<button
						type="button"
						aria-pressed={activeStatus === ''}
						className={activeStatus === '' ? 'btn-primary' : 'btn-secondary'}
						onClick={() => setStatus('')}
					>
						All ({counts.itemCount.toLocaleString('en-US')})
					</button>
					{ITEM_STATUSES.map((status) => (
						<button
							key={status}
							type="button"
							aria-pressed={activeStatus === status}
							className={activeStatus === status ? 'btn-primary' : 'btn-secondary'}
							onClick={() => setStatus(status)}
						>
							{statusLabels[status]} ({countFor[status].toLocaleString('en-US')})
						</button>
					))}
				</div>
				<Form method="get" role="search" className="flex items-end gap-2">
					{activeStatus ? <input type="hidden" name="status" value={activeStatus} /> : null}
					<div>
						<label htmlFor="q" className="label">
							Search
						</label>
						<input
							id="q"
							name="q"
							defaultValue={searchParams.get('q') ?? ''}
							placeholder="external id or prompt"
							className="input"
						/>
					</div>
					<button type="submit" className="btn-secondary">
						Search
					</button>
				</Form>
			</div>

			<DataTable
				caption="Items"
				columns={columnsFor(project.overlap, project.taskType === 'comparison')}
				data={items}
				total={total}
				getRowId={(item) => item.id}
				emptyState={
					filtered ? (
						'No items match these filters.'
					) : (
						<span>
							No items yet.{' '}
							{canManage ? (
								<Link to={`/projects/${project.slug}/import`} className="text-indigo-700 underline">
									Import a JSONL, CSV or Parquet file
								</Link>
							) : (
								'An admin imports them.'
							)}
						</span>
					)
				}
			/>
		</main>
	)
}
