import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/review'
import { StatusBadge } from '#app/components/project-header.tsx'
import { utcTime } from '#app/components/quality/analytics-status.tsx'
import { listReviewProjects } from '#app/modules/analytics/list-review-projects.server.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Review · Quorum' }]

export const loader = route(async ({ request }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	return { projects: await listReviewProjects({ user }) }
})

export default function ReviewPage() {
	const { projects } = useLoaderData<typeof loader>()
	return (
		<main className="mx-auto max-w-4xl space-y-6 px-6 py-10">
			<div>
				<h1 className="text-2xl font-bold tracking-tight">Review</h1>
				<p className="mt-1 text-slate-600">Disputed items waiting for a decision, in the projects you review.</p>
			</div>
			{projects.length === 0 ? (
				<p className="card text-center text-slate-600">
					You review no projects yet. An admin adds reviewers on a project’s Members page.
				</p>
			) : (
				<ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
					{projects.map((project) => (
						<li key={project.slug} className="flex flex-wrap items-center justify-between gap-3 px-5 py-4">
							<div>
								<Link to={`/projects/${project.slug}/review`} className="font-medium text-slate-900 hover:underline">
									{project.name}
								</Link>{' '}
								<StatusBadge status={project.status} />
								<p className="text-xs text-slate-500">
									{project.taskType === 'pairwise' ? 'Pairwise' : 'Ranking'}
									{project.computedAt ? ` · computed ${utcTime(project.computedAt)}` : ''}
								</p>
							</div>
							<p className="text-sm">
								{project.openCount === null ? (
									<span className="text-slate-500">Not computed yet</span>
								) : (
									<>
										<span className="text-lg font-semibold tabular-nums">
											{project.openCount.toLocaleString('en-US')}
										</span>{' '}
										to review
										<span className="text-slate-500">
											{' '}
											· {project.adjudicatedCount?.toLocaleString('en-US') ?? 0} adjudicated
										</span>
									</>
								)}
							</p>
						</li>
					))}
				</ul>
			)}
		</main>
	)
}
