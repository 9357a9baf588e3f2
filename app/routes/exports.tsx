import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/exports'
import { DataTable, type DataTableColumn } from '#app/components/data-table.tsx'
import {
	ExportActions,
	ExportDetails,
	ExportProgress,
	ProjectExportLink,
	isActive,
	useExportPolling,
} from '#app/components/export-jobs.tsx'
import { requireUserWithPermission } from '#app/modules/auth/require.server.ts'
import { ExportListQuerySchema } from '#app/modules/exports/export.schema.ts'
import { listRecentExports } from '#app/modules/exports/list-exports.server.ts'
import type { ExportView } from '#app/modules/exports/serialize-export.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Exports · Quorum' }]

export const loader = route(async ({ request }: Route.LoaderArgs) => {
	const user = await requireUserWithPermission(request, 'create:exports')
	const query = ExportListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	return listRecentExports({ user, query })
})

const columns = (now: number): DataTableColumn<ExportView>[] => [
	{
		id: 'createdAt',
		accessorKey: 'createdAt',
		header: 'Requested',
		cell: ({ row }) => <span className="whitespace-nowrap">{new Date(row.original.createdAt).toLocaleString()}</span>,
	},
	{
		id: 'project',
		header: 'Project',
		enableSorting: false,
		cell: ({ row }) => <ProjectExportLink job={row.original} />,
	},
	{
		id: 'format',
		accessorKey: 'format',
		header: 'Format',
		cell: ({ row }) => <span className="font-mono text-xs">{row.original.format}</span>,
	},
	{
		id: 'status',
		accessorKey: 'status',
		header: 'Status',
		cell: ({ row }) => <ExportProgress job={row.original} now={now} />,
	},
	{ id: 'rows', header: 'Rows', enableSorting: false, cell: ({ row }) => row.original.rows.toLocaleString('en-US') },
	{ id: 'requestedBy', header: 'By', enableSorting: false, cell: ({ row }) => row.original.requestedBy ?? '—' },
	{ id: 'actions', header: 'Files', enableSorting: false, cell: ({ row }) => <ExportActions job={row.original} /> },
	{ id: 'details', header: 'Manifest', enableSorting: false, cell: ({ row }) => <ExportDetails job={row.original} /> },
]

export default function ExportsPage() {
	const { exports, total, projects } = useLoaderData<typeof loader>()
	const now = useExportPolling(exports.some(isActive))
	return (
		<main className="mx-auto max-w-7xl space-y-8 px-6 py-10">
			<header>
				<h1 className="text-2xl font-bold tracking-tight">Exports</h1>
				<p className="mt-1 text-sm text-slate-600">
					Datasets for reward models, DPO and related training, built by the worker from each project's judgments.
				</p>
			</header>
			<section aria-labelledby="projects-heading" className="space-y-3">
				<h2 id="projects-heading" className="text-lg font-semibold">
					Export from a project
				</h2>
				{projects.length === 0 ? (
					<p className="text-sm text-slate-500">No projects yet.</p>
				) : (
					<ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
						{projects.map((project) => (
							<li key={project.slug} className="card flex items-center justify-between gap-3 p-4">
								<span>
									<span className="block font-medium">{project.name}</span>
									<span className="text-xs text-slate-500">
										{project.judgments.toLocaleString('en-US')} judgments · {project.exports} exports
									</span>
								</span>
								<Link
									to={`/projects/${project.slug}/exports`}
									className="btn-secondary"
									aria-label={`Export ${project.name}`}
								>
									Export
								</Link>
							</li>
						))}
					</ul>
				)}
			</section>
			<section aria-labelledby="recent-heading" className="space-y-3">
				<h2 id="recent-heading" className="text-lg font-semibold">
					Recent exports
				</h2>
				<DataTable
					caption="Recent exports"
					columns={columns(now)}
					data={exports}
					total={total}
					getRowId={(job) => job.id}
					defaultSort={{ id: 'createdAt', desc: true }}
					emptyState="No exports yet."
				/>
			</section>
		</main>
	)
}
