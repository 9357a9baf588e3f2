import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/projects'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { listProjectsForUser } from '#app/modules/projects/list-projects.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Projects · Quorum' }]

export async function loader({ request }: Route.LoaderArgs) {
	const user = await requireUser(request)
	const projects = await listProjectsForUser({ user })
	return { projects: projects.map((project) => ({ ...project, createdAt: project.createdAt.toISOString() })) }
}

export default function ProjectsPage() {
	const { projects } = useLoaderData<typeof loader>()
	return (
		<main className="mx-auto max-w-6xl px-6 py-10">
			<h1 className="text-2xl font-bold tracking-tight">Projects</h1>
			{projects.length === 0 ? (
				<div className="card mt-6 text-center text-slate-600">
					<p>You are not a member of any project yet.</p>
					<p className="mt-1 text-sm">An admin adds people to projects; once you are added, your projects appear here.</p>
				</div>
			) : (
				<ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
					{projects.map((project) => (
						<li key={project.id} className="card">
							<div className="flex items-start justify-between gap-2">
								<h2 className="font-semibold">
									<Link to={`/projects/${project.slug}`} className="hover:underline">
										{project.name}
									</Link>
								</h2>
								<span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{project.status}</span>
							</div>
							<p className="mt-1 text-sm text-slate-600">{project.description}</p>
							<p className="mt-3 text-xs text-slate-500">
								{project.taskType} · overlap {project.overlap}
							</p>
						</li>
					))}
				</ul>
			)}
		</main>
	)
}
