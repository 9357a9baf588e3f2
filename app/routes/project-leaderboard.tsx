import { Form, Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/project-leaderboard'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { AnalyticsStatus, Downloads } from '#app/components/quality/analytics-status.tsx'
import { Heatmap } from '#app/components/quality/heatmap.tsx'
import { RatingChart } from '#app/components/quality/rating-chart.tsx'
import { getProjectAnalytics } from '#app/modules/analytics/get-project-analytics.server.ts'
import {
	leaderboardView,
	LeaderboardViewQuerySchema,
	type LeaderboardView,
} from '#app/modules/analytics/leaderboard-view.ts'
import { requestAnalyticsRefresh } from '#app/modules/analytics/request-analytics-refresh.server.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { canManageProjects } from '#app/modules/projects/policies.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [
	{ title: `Leaderboard · ${data?.project.name ?? 'Project'} · Quorum` },
]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	const parsed = LeaderboardViewQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
	const query = parsed.success ? parsed.data : { style: false, position: false }
	const { project, computedAt, data, canRecompute } = await getProjectAnalytics({
		slug: params.slug,
		user,
		kinds: ['leaderboard'],
	})
	const snapshot = data?.leaderboard ?? null
	// The page needs only the chosen view's rows, not every controlled and category board.
	const leaderboard = snapshot ? { ...snapshot, controls: undefined, categories: undefined } : null
	const categories = (snapshot?.categories ?? []).map((board) => ({
		key: board.key,
		label: board.label,
		values: board.values.map(({ value, battles, sparse }) => ({ value, battles, sparse })),
	}))
	return {
		project: serializeProject(project),
		canManage: canManageProjects(user),
		computedAt,
		canRecompute,
		leaderboard,
		query,
		view: snapshot ? leaderboardView({ snapshot, query }) : null,
		categories,
	}
})

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUser(request)
	return requestAnalyticsRefresh({ slug: params.slug, user })
})

const rating = (value: number) => value.toFixed(1)

const battleCount = (n: number) => (n === 1 ? '1 battle' : `${n.toLocaleString('en-US')} battles`)

export default function ProjectLeaderboardPage() {
	const { project, canManage, computedAt, canRecompute, leaderboard, query, view, categories } =
		useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			<ProjectHeader project={project} canManage={canManage} />
			<AnalyticsStatus computedAt={computedAt} canRecompute={canRecompute} result={result} />
			{leaderboard ? (
				leaderboard.rows.length === 0 ? (
					<p className="card text-center text-slate-600">
						No battles yet: the leaderboard needs judgments of items whose responses name their model (the{' '}
						<code className="kbd">model</code> field of each response).
					</p>
				) : (
					<>
						<ViewSwitches style={query.style} position={query.position} view={view} categories={categories} />
						<section className="grid gap-6 lg:grid-cols-[3fr_2fr]" aria-labelledby="ratings-heading">
							<div className="card">
								<RatingChart rows={view?.rows ?? leaderboard.rows} />
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
										{(view?.rows ?? leaderboard.rows).map((row) => (
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
									Bradley–Terry on the Elo scale as Chatbot Arena computes it (base 10, scale 400, mean 1000); ties and
									both-bad count half a win to each side. Intervals:{' '}
									{view?.bootstrapRounds ?? leaderboard.bootstrapRounds} bootstrap resamples of the{' '}
									{(view?.battles ?? leaderboard.battles).toLocaleString('en-US')} battles. Rank is 1 + the models whose
									interval lies wholly above.{' '}
									{leaderboard.skippedJudgments > 0
										? `${leaderboard.skippedJudgments.toLocaleString('en-US')} judgments without a model on both sides gave no battle.`
										: ''}
								</p>
								{leaderboard.selfIdentified ? (
									<p className="text-xs text-slate-600" data-testid="self-identified-note">
										{leaderboard.selfIdentified.battles === 0
											? 'No battle showed a response that names its own model or vendor.'
											: leaderboard.selfIdentified.included
												? `${battleCount(leaderboard.selfIdentified.battles)} showed a response that names its own model or vendor; the project's settings include them, so the board may not be blind.`
												: `${battleCount(leaderboard.selfIdentified.battles)} ${leaderboard.selfIdentified.battles === 1 ? 'was' : 'were'} left out because a response shown names its own model or vendor (the project's word list): the annotator was not blind. The project's arena settings can include ${leaderboard.selfIdentified.battles === 1 ? 'it' : 'them'}.`}
									</p>
								) : null}
							</div>
						</section>

						<section className="card space-y-3" aria-labelledby="winrate-heading">
							<h2 id="winrate-heading" className="font-semibold">
								Win rates
							</h2>
							<p className="text-sm text-slate-600">
								Share of battles the row's model won against the column's, a tie or both-bad counting half.
							</p>
							<Heatmap
								caption="Win rate of each model (row) against each other (column)"
								labels={leaderboard.winRates.models}
								values={leaderboard.winRates.matrix}
								scale={{ min: 0, max: 1, center: 0.5 }}
								format={(value) => `${Math.round(value * 100)}%`}
								describe={(i, j, value) =>
									`${leaderboard.winRates.models[i]} won ${(value * 100).toFixed(1)}% against ${leaderboard.winRates.models[j]}`
								}
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
											<tr
												key={`${pair.modelA}\u0000${pair.modelB}`}
												className="border-b border-slate-100 last:border-0"
											>
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

type Category = { key: string; label: string; values: { value: string; battles: number; sparse: boolean }[] }

function ViewSwitches({
	style,
	position,
	view,
	categories,
}: {
	style: boolean
	position: boolean
	view: LeaderboardView | null
	categories: Category[]
}) {
	return (
		<section className="card space-y-3" aria-labelledby="view-heading">
			<h2 id="view-heading" className="font-semibold">
				View
			</h2>
			<Form method="get" className="flex flex-wrap items-center gap-4 text-sm">
				<label className="flex items-center gap-2">
					<input type="checkbox" name="style" value="true" defaultChecked={style} />
					Control for style (length, headers, lists, bold)
				</label>
				<label className="flex items-center gap-2">
					<input type="checkbox" name="position" value="true" defaultChecked={position} />
					Control for position (which answer was shown first)
				</label>
				<button type="submit" className="btn-secondary">
					Apply
				</button>
			</Form>
			{view?.unavailable ? <p className="text-sm text-amber-700">{view.unavailable}</p> : null}
			{view && view.coefficients.length > 0 ? (
				<ul className="list-disc space-y-1 pl-5 text-sm text-slate-700" aria-label="Style and position coefficients">
					{view.coefficients.map((coefficient) => (
						<li key={coefficient.feature}>{coefficient.description}</li>
					))}
				</ul>
			) : null}
			{view?.control ? (
				<p className="text-xs text-slate-500">
					FastChat's style control: a Bradley–Terry fit with the per-battle differences (a − b) / (a + b + 1) of tokens
					(o200k), markdown headers, list items and bold spans (and +1/−1 for the answer shown first) as standardized
					covariates; ratings are what remains once those effects are taken out.
				</p>
			) : null}
			{categories.length > 0 ? (
				<div className="space-y-2 text-sm">
					<h3 className="font-medium">By category</h3>
					{view?.category ? (
						<p>
							Showing {view.category.key} = <span className="font-mono">{view.category.value}</span>
							{view.category.sparse ? ' (few battles: wide intervals)' : ''}. <Link to="?">All battles</Link>
						</p>
					) : null}
					{categories.map((board) => (
						<p key={board.key} className="flex flex-wrap gap-x-3 gap-y-1">
							<span className="text-slate-500">{board.label}:</span>
							{board.values.map((entry) => (
								<Link
									key={entry.value}
									to={`?${new URLSearchParams({ category: board.key, value: entry.value }).toString()}`}
									className={entry.sparse ? 'text-slate-400' : undefined}
									title={entry.sparse ? 'Few battles: the intervals are wide' : undefined}
								>
									{entry.value} ({entry.battles.toLocaleString('en-US')})
								</Link>
							))}
						</p>
					))}
				</div>
			) : null}
		</section>
	)
}
