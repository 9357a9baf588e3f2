import { useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/project-leaderboard'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { AnalyticsStatus, Downloads } from '#app/components/quality/analytics-status.tsx'
import { Heatmap } from '#app/components/quality/heatmap.tsx'
import { RatingChart } from '#app/components/quality/rating-chart.tsx'
import { getProjectAnalytics } from '#app/modules/analytics/get-project-analytics.server.ts'
import { requestAnalyticsRefresh } from '#app/modules/analytics/request-analytics-refresh.server.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { canManageProjects } from '#app/modules/projects/policies.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Leaderboard · ${data?.project.name ?? 'Project'} · Quorum` }]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	const { project, computedAt, data, canRecompute } = await getProjectAnalytics({ slug: params.slug, user, kinds: ['leaderboard'] })
	return { project: serializeProject(project), canManage: canManageProjects(user), computedAt, canRecompute, leaderboard: data?.leaderboard ?? null }
})

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUser(request)
	return requestAnalyticsRefresh({ slug: params.slug, user })
})

const rating = (value: number) => value.toFixed(1)

export default function ProjectLeaderboardPage() {
	const { project, canManage, computedAt, canRecompute, leaderboard } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			<ProjectHeader project={project} canManage={canManage} />
			<AnalyticsStatus computedAt={computedAt} canRecompute={canRecompute} result={result} />
			{leaderboard ? (
				leaderboard.rows.length === 0 ? (
					<p className="card text-center text-slate-600">
						No battles yet: the leaderboard needs judgments of items whose responses name their model (the <code className="kbd">model</code> field of each response).
					</p>
				) : (
					<>
						<section className="grid gap-6 lg:grid-cols-[3fr_2fr]" aria-labelledby="ratings-heading">
							<div className="card">
								<RatingChart rows={leaderboard.rows} />
							</div>
							<div className="card space-y-3">
								<h2 id="ratings-heading" className="font-semibold">
									Ratings
								</h2>
								<table className="w-full text-left text-sm">
									<caption className="sr-only">Model ratings, best first</caption>
									<thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
										<tr>
											<th scope="col" className="py-1 pr-2">
												Rank
											</th>
											<th scope="col" className="py-1 pr-2">
												Model
											</th>
											<th scope="col" className="py-1 pr-2 text-right">
												Rating
											</th>
											<th scope="col" className="py-1 pr-2 text-right">
												95% interval
											</th>
											<th scope="col" className="py-1 text-right">
												Battles
											</th>
										</tr>
									</thead>
									<tbody>
										{leaderboard.rows.map((row) => (
											<tr key={row.model} className="border-b border-slate-100 last:border-0">
												<td className="py-1 pr-2 tabular-nums">{row.rank}</td>
												<td className="py-1 pr-2 font-mono text-xs">{row.model}</td>
												<td className="py-1 pr-2 text-right tabular-nums">{rating(row.rating)}</td>
												<td className="py-1 pr-2 text-right tabular-nums text-slate-600">
													{rating(row.ciLow)} – {rating(row.ciHigh)}
												</td>
												<td className="py-1 text-right tabular-nums">{row.battles.toLocaleString('en-US')}</td>
											</tr>
										))}
									</tbody>
								</table>
								<p className="text-xs text-slate-500">
									Bradley–Terry on the Elo scale as Chatbot Arena computes it (base 10, scale 400, mean 1000); ties and both-bad count half a win to each side. Intervals:{' '}
									{leaderboard.bootstrapRounds} bootstrap resamples of the {leaderboard.battles.toLocaleString('en-US')} battles. Rank is 1 + the models whose interval lies
									wholly above. {leaderboard.skippedJudgments > 0 ? `${leaderboard.skippedJudgments.toLocaleString('en-US')} judgments without a model on both sides gave no battle.` : ''}
								</p>
							</div>
						</section>

						<section className="card space-y-3" aria-labelledby="winrate-heading">
							<h2 id="winrate-heading" className="font-semibold">
								Win rates
							</h2>
							<p className="text-sm text-slate-600">Share of battles the row's model won against the column's, a tie or both-bad counting half.</p>
							<Heatmap
								caption="Win rate of each model (row) against each other (column)"
								labels={leaderboard.winRates.models}
								values={leaderboard.winRates.matrix}
								scale={{ min: 0, max: 1, center: 0.5 }}
								format={(value) => `${Math.round(value * 100)}%`}
								describe={(i, j, value) => `${leaderboard.winRates.models[i]} won ${(value * 100).toFixed(1)}% against ${leaderboard.winRates.models[j]}`}
								corner="row beats column"
							/>
						</section>

						<section className="card space-y-3" aria-labelledby="battles-heading">
							<h2 id="battles-heading" className="font-semibold">
								Battles
							</h2>
							<div className="overflow-x-auto">
								<table className="w-full text-left text-sm">
									<caption className="sr-only">Battles between each pair of models</caption>
									<thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
										<tr>
											<th scope="col" className="py-1 pr-2">
												Model A
											</th>
											<th scope="col" className="py-1 pr-2">
												Model B
											</th>
											<th scope="col" className="py-1 pr-2 text-right">
												A wins
											</th>
											<th scope="col" className="py-1 pr-2 text-right">
												B wins
											</th>
											<th scope="col" className="py-1 pr-2 text-right">
												Ties
											</th>
											<th scope="col" className="py-1 pr-2 text-right">
												Both bad
											</th>
											<th scope="col" className="py-1 text-right">
												Battles
											</th>
										</tr>
									</thead>
									<tbody>
										{leaderboard.pairs.map((pair) => (
											<tr key={`${pair.modelA}\u0000${pair.modelB}`} className="border-b border-slate-100 last:border-0">
												<td className="py-1 pr-2 font-mono text-xs">{pair.modelA}</td>
												<td className="py-1 pr-2 font-mono text-xs">{pair.modelB}</td>
												<td className="py-1 pr-2 text-right tabular-nums">{pair.aWins.toLocaleString('en-US')}</td>
												<td className="py-1 pr-2 text-right tabular-nums">{pair.bWins.toLocaleString('en-US')}</td>
												<td className="py-1 pr-2 text-right tabular-nums">{pair.ties.toLocaleString('en-US')}</td>
												<td className="py-1 pr-2 text-right tabular-nums">{pair.bothBad.toLocaleString('en-US')}</td>
												<td className="py-1 text-right tabular-nums">{pair.battles.toLocaleString('en-US')}</td>
											</tr>
										))}
									</tbody>
								</table>
							</div>
						</section>
						<Downloads
							slug={project.slug}
							tables={[
								{ table: 'leaderboard', label: 'ratings' },
								{ table: 'model-pairs', label: 'battles' },
								{ table: 'win-rates', label: 'win rates' },
							]}
						/>
					</>
				)
			) : null}
		</main>
	)
}
