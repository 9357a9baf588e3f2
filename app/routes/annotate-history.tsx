import { Link } from 'react-router'
import type { Route } from './+types/annotate-history'
import { listMyJudgments } from '#app/modules/assignments/history.server.ts'
import { getWorkspaceProject } from '#app/modules/assignments/workspace.server.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { parseItemContext, parseRanking } from '#app/modules/projects/json-columns.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'My history · Quorum' }]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	const { project } = await getWorkspaceProject({ slug: params.slug, user })
	const cursor = new URL(request.url).searchParams.get('cursor')
	const page = await listMyJudgments({ user, projectSlug: params.slug, cursor, limit: 50 })
	return {
		project,
		nextCursor: page.nextCursor,
		judgments: page.judgments.map((j) => {
			const context = parseItemContext(j.item.context)
			const prompt = 'prompt' in context ? context.prompt : (context.messages.at(-1)?.content ?? '')
			return {
				id: j.id,
				externalId: j.item.externalId,
				prompt: prompt.length > 140 ? `${prompt.slice(0, 140)}…` : prompt,
				ranking: parseRanking(j.ranking),
				bothBad: j.bothBad,
				strength: j.strength,
				revision: j.revision,
				createdAt: j.createdAt.toISOString(),
			}
		}),
	}
})

const STRENGTH_LABELS = ['negligible', 'slight', 'clear', 'significant']

export default function HistoryPage({ loaderData }: Route.ComponentProps) {
	const { project, judgments, nextCursor } = loaderData
	const editable = project.status === 'active'
	return (
		<main className="mx-auto max-w-5xl px-6 py-8">
			<div className="flex items-center gap-4">
				<h1 className="text-2xl font-bold tracking-tight">My history</h1>
				<span className="text-slate-500">{project.name}</span>
				<Link to={`/projects/${project.slug}/annotate`} className="btn-primary ml-auto">
					Back to work
				</Link>
			</div>
			{judgments.length === 0 ? (
				<p className="card mt-6 text-center text-slate-600">You have not judged anything in this project yet.</p>
			) : (
				<table className="card mt-6 w-full p-0 text-left text-sm">
					<caption className="sr-only">Your judgments, newest first</caption>
					<thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
						<tr>
							<th className="px-4 py-2">When</th>
							<th className="px-4 py-2">Item</th>
							<th className="px-4 py-2">Prompt</th>
							<th className="px-4 py-2">Your ranking</th>
							<th className="px-4 py-2">
								<span className="sr-only">Actions</span>
							</th>
						</tr>
					</thead>
					<tbody>
						{judgments.map((j) => (
							<tr key={j.id} className="border-b border-slate-100 last:border-0">
								<td className="whitespace-nowrap px-4 py-2">{new Date(j.createdAt).toLocaleString()}</td>
								<td className="px-4 py-2 font-mono text-xs">{j.externalId}</td>
								<td className="px-4 py-2 text-slate-600">{j.prompt}</td>
								<td className="px-4 py-2">
									{j.bothBad ? 'both bad' : j.ranking.map((tier) => tier.join(' = ')).join(' > ')}
									{j.strength !== null ? (
										<span className="text-slate-500"> ({STRENGTH_LABELS[j.strength]})</span>
									) : null}
									{j.revision > 1 ? <span className="ml-1 text-xs text-slate-500">rev {j.revision}</span> : null}
								</td>
								<td className="px-4 py-2 text-right">
									{editable ? (
										<Link className="btn-secondary" to={`/projects/${project.slug}/annotate/judgments/${j.id}`}>
											Revise
										</Link>
									) : null}
								</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			{nextCursor ? (
				<Link className="btn-secondary mt-4" to={`?cursor=${nextCursor}`}>
					Older
				</Link>
			) : null}
		</main>
	)
}
