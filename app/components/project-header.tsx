import { NavLink, useRouteLoaderData } from 'react-router'
import type { ProjectStatus, Role, TaskType } from '#app/generated/prisma/enums.ts'
import { hasPermission } from '#app/utils/permissions.ts'

const statusStyles: Record<ProjectStatus, string> = {
	draft: 'bg-slate-100 text-slate-700',
	active: 'bg-emerald-100 text-emerald-800',
	paused: 'bg-amber-100 text-amber-800',
	archived: 'bg-slate-200 text-slate-600',
}

export function StatusBadge({ status }: { status: ProjectStatus }) {
	return <span className={`rounded px-2 py-0.5 text-xs font-medium ${statusStyles[status]}`}>{status}</span>
}

/** Title, status and the tabs of a project's admin pages; management tabs only for those who may manage. */
export function ProjectHeader({
	project,
	canManage,
	children,
}: {
	project: { slug: string; name: string; status: ProjectStatus; taskType: TaskType }
	canManage: boolean
	children?: React.ReactNode
}) {
	const base = `/projects/${project.slug}`
	const user = useRouteLoaderData<{ user: { roles: Role[] } | null }>('root')?.user
	const tabs = [
		{ to: base, label: 'Dashboard', end: true },
		{ to: `${base}/items`, label: 'Items' },
		{ to: `${base}/members`, label: 'Members' },
		{ to: `${base}/guidelines`, label: 'Guidelines' },
		{ to: `${base}/quality`, label: 'Quality' },
		{ to: `${base}/leaderboard`, label: 'Leaderboard' },
		{ to: `${base}/review`, label: 'Review' },
		...(hasPermission(user, 'create:exports') ? [{ to: `${base}/exports`, label: 'Exports' }] : []),
		...(hasPermission(user, 'run:models') ? [{ to: `${base}/judge`, label: 'Judge' }] : []),
		...(canManage
			? [
					{ to: `${base}/import`, label: 'Import' },
					{ to: `${base}/generate`, label: 'Generate' },
					{ to: `${base}/settings`, label: 'Settings' },
				]
			: []),
	]
	return (
		<header className="space-y-4">
			<div className="flex flex-wrap items-end justify-between gap-4">
				<div>
					<p className="text-sm text-slate-500">
						<NavLink to="/projects" className="hover:underline">
							Projects
						</NavLink>{' '}
						/ <span className="font-mono">{project.slug}</span>
					</p>
					<h1 className="mt-1 flex items-center gap-3 text-2xl font-bold tracking-tight">
						{project.name} <StatusBadge status={project.status} />
					</h1>
					<p className="mt-1 text-sm text-slate-600">
						{project.taskType === 'pairwise'
							? 'Pairwise comparison'
							: project.taskType === 'comparison'
								? 'Arena comparison'
								: 'Ranking'}
					</p>
				</div>
				{children ? <div className="flex flex-wrap items-center gap-2">{children}</div> : null}
			</div>
			<nav aria-label="Project" className="flex gap-1 border-b border-slate-200 text-sm">
				{tabs.map((tab) => (
					<NavLink
						key={tab.to}
						to={tab.to}
						end={tab.end}
						className={({ isActive }) =>
							`-mb-px border-b-2 px-3 py-2 ${isActive ? 'border-indigo-600 font-medium text-slate-900' : 'border-transparent text-slate-600 hover:text-slate-900'}`
						}
					>
						{tab.label}
					</NavLink>
				))}
			</nav>
		</header>
	)
}
