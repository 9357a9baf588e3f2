import { Form, Link, useLoaderData, useSearchParams } from 'react-router'
import type { Route } from './+types/projects'
import { DataTable, type DataTableColumn } from '#app/components/data-table.tsx'
import { StatusBadge } from '#app/components/project-header.tsx'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { listMyProjects, listProjects } from '#app/modules/projects/list-projects.server.ts'
import { canManageProjects, canReadProjects } from '#app/modules/projects/policies.ts'
import { ProjectListQuerySchema } from '#app/modules/projects/project.schema.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Projects · Quorum' }]

export const loader = route(async ({ request }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	if (!canReadProjects(user)) {
		const mine = await listMyProjects({ user })
		return { view: 'member' as const, mine, table: null, canManage: false }
	}
	const query = ProjectListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	return {
		view: 'table' as const,
		mine: [],
		table: await listProjects({ user, query }),
		canManage: canManageProjects(user),
	}
})

type ProjectRow = NonNullable<Awaited<ReturnType<typeof loader>>['table']>['projects'][number]

const columns: DataTableColumn<ProjectRow>[] = [
	{
		id: 'name',
		accessorKey: 'name',
		header: 'Name',
		cell: ({ row }) => (
			<span>
				<Link to={`/projects/${row.original.slug}`} className="font-medium text-slate-900 hover:underline">
					{row.original.name}
				</Link>
				<span className="ml-2 font-mono text-xs text-slate-500">{row.original.slug}</span>
			</span>
		),
	},
	{
		id: 'status',
		accessorKey: 'status',
		header: 'Status',
		cell: ({ row }) => <StatusBadge status={row.original.status} />,
	},
	{ id: 'taskType', accessorKey: 'taskType', header: 'Type' },
	{
		id: 'itemCount',
		accessorKey: 'itemCount',
		header: 'Items',
		cell: ({ row }) => row.original.itemCount.toLocaleString('en-US'),
	},
	{
		id: 'judgmentCount',
		accessorKey: 'judgmentCount',
		header: 'Judgments',
		cell: ({ row }) => row.original.judgmentCount.toLocaleString('en-US'),
	},
	{
		id: 'completion',
		accessorKey: 'completion',
		header: 'Completion',
		cell: ({ row }) => (
			<span className="flex items-center gap-2">
				<span className="h-1.5 w-20 overflow-hidden rounded-full bg-slate-200" aria-hidden>
					<span
						className="block h-full bg-indigo-600"
						style={{ width: `${Math.min(100, row.original.completion * 100)}%` }}
					/>
				</span>
				{(row.original.completion * 100).toFixed(1)}%
			</span>
		),
	},
	{
		id: 'createdAt',
		accessorKey: 'createdAt',
		header: 'Created',
		cell: ({ row }) => new Date(row.original.createdAt).toLocaleDateString(),
	},
]

function MemberProjects({ projects }: { projects: Awaited<ReturnType<typeof loader>>['mine'] }) {
	if (projects.length === 0) {
		return (
			<div className="card mt-6 text-center text-slate-600">
				<p>You are not a member of any project yet.</p>
				<p className="mt-1 text-sm">An admin adds people to projects; once you are added, your projects appear here.</p>
			</div>
		)
	}
	return (
		<ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
			{projects.map((project) => (
				<li key={project.id} className="card flex flex-col">
					<div className="flex items-start justify-between gap-2">
						<h2 className="font-semibold">{project.name}</h2>
						<StatusBadge status={project.status} />
					</div>
					<p className="mt-1 flex-1 text-sm text-slate-600">{project.description}</p>
					<p className="mt-3 text-xs text-slate-500">
						{project.taskType === 'pairwise'
							? 'Pairwise comparison'
							: project.taskType === 'comparison'
								? 'Arena comparison'
								: 'Ranking'}
					</p>
					<div className="mt-3 flex flex-wrap gap-2">
						{project.memberRoles.includes('annotator') ? (
							project.status === 'active' ? (
								<Link to={`/projects/${project.slug}/annotate`} className="btn-primary">
									Start annotating
								</Link>
							) : (
								<span className="text-sm text-slate-500">
									{project.status === 'paused' ? 'Paused for now' : 'Not open yet'}
								</span>
							)
						) : null}
						<Link to={`/projects/${project.slug}/guidelines`} className="btn-secondary">
							Guidelines
						</Link>
					</div>
				</li>
			))}
		</ul>
	)
}

export default function ProjectsPage() {
	const { view, mine, table, canManage } = useLoaderData<typeof loader>()
	const [searchParams, setSearchParams] = useSearchParams()
	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			<div className="flex flex-wrap items-end justify-between gap-4">
				<div>
					<h1 className="text-2xl font-bold tracking-tight">Projects</h1>
					{view === 'table' ? (
						<p className="mt-1 text-sm text-slate-600">Labeling projects, their progress, and where the work stands.</p>
					) : null}
				</div>
				{canManage ? (
					<Link to="/projects/new" className="btn-primary">
						New project
					</Link>
				) : null}
			</div>

			{view === 'member' || !table ? (
				<MemberProjects projects={mine} />
			) : (
				<>
					<Form method="get" className="flex flex-wrap items-end gap-3" role="search">
						<div>
							<label htmlFor="q" className="label">
								Search
							</label>
							<input
								id="q"
								name="q"
								defaultValue={searchParams.get('q') ?? ''}
								placeholder="name or slug"
								className="input"
							/>
						</div>
						<div>
							<label htmlFor="status" className="label">
								Status
							</label>
							<select id="status" name="status" defaultValue={searchParams.get('status') ?? ''} className="input">
								<option value="">Not archived</option>
								<option value="draft">Draft</option>
								<option value="active">Active</option>
								<option value="paused">Paused</option>
								<option value="archived">Archived</option>
							</select>
						</div>
						<div>
							<label htmlFor="taskType" className="label">
								Type
							</label>
							<select id="taskType" name="taskType" defaultValue={searchParams.get('taskType') ?? ''} className="input">
								<option value="">Any</option>
								<option value="pairwise">Pairwise</option>
								<option value="ranking">Ranking</option>
								<option value="comparison">Comparison (arena)</option>
							</select>
						</div>
						<button type="submit" className="btn-secondary">
							Filter
						</button>
						{searchParams.toString() ? (
							<button type="button" className="text-sm text-slate-600 underline" onClick={() => setSearchParams({})}>
								Clear
							</button>
						) : null}
					</Form>
					<DataTable
						caption="Projects"
						columns={columns}
						data={table.projects}
						total={table.total}
						getRowId={(project) => project.id}
						defaultSort={{ id: 'createdAt', desc: true }}
						emptyState={
							searchParams.toString() ? (
								'No projects match these filters.'
							) : canManage ? (
								<span>
									No projects yet.{' '}
									<Link to="/projects/new" className="text-indigo-700 underline">
										Create the first one
									</Link>
									, then import items and add annotators.
								</span>
							) : (
								'No projects to show yet.'
							)
						}
					/>
				</>
			)}
		</main>
	)
}
