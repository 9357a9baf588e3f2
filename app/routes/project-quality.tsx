import { Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/project-quality'
import { DataTable, type DataTableColumn } from '#app/components/data-table.tsx'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { AnalyticsStatus, Downloads } from '#app/components/quality/analytics-status.tsx'
import { Heatmap } from '#app/components/quality/heatmap.tsx'
import type { AgreementFigure, AnnotatorFlag } from '#app/modules/analytics/analytics.types.ts'
import { formatRanking } from '#app/modules/analytics/format-ranking.ts'
import { getQuality, type QualityRow } from '#app/modules/analytics/get-quality.server.ts'
import { requestAnalyticsRefresh } from '#app/modules/analytics/request-analytics-refresh.server.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { canManageProjects } from '#app/modules/projects/policies.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [
	{ title: `Quality · ${data?.project.name ?? 'Project'} · Quorum` },
]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	const quality = await getQuality({
		slug: params.slug,
		user,
		query: Object.fromEntries(new URL(request.url).searchParams),
	})
	return { ...quality, project: serializeProject(quality.project), canManage: canManageProjects(user) }
})

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUser(request)
	return requestAnalyticsRefresh({ slug: params.slug, user })
})

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`)
const seconds = (ms: number | null) =>
	ms === null ? '—' : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`
const pValue = (p: number | null) => (p === null ? '' : p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`)

const flagLabels: Record<AnnotatorFlag, { label: string; why: string }> = {
	fast: { label: 'Too fast', why: 'Median active time is suspiciously short' },
	'position-bias': { label: 'Position bias', why: 'Chooses the response shown first more often than chance' },
	'length-bias': { label: 'Length bias', why: 'Prefers longer (or shorter) responses more than the rest of the team' },
	'low-gold-accuracy': { label: 'Low gold accuracy', why: 'Often disagrees with the known answers of gold items' },
}

function FigureCard({ figure }: { figure: AgreementFigure }) {
	return (
		<div className="card" role="group" aria-label={figure.label}>
			<dl className="space-y-1">
				<dt className="text-sm text-slate-500">{figure.label}</dt>
				<dd className="text-2xl font-semibold tabular-nums tracking-tight">
					{figure.value === null ? '—' : figure.value.toFixed(3)}
				</dd>
				<dd className="text-xs text-slate-500">
					{figure.ciLow !== null && figure.ciHigh !== null ? (
						<span>
							95% CI {figure.ciLow.toFixed(3)} – {figure.ciHigh.toFixed(3)} ·{' '}
						</span>
					) : null}
					n = {figure.items.toLocaleString('en-US')} items
					{figure.units !== figure.items ? ` · ${figure.units.toLocaleString('en-US')} units` : ''}
				</dd>
				<dd className="text-xs text-slate-500">{figure.note ?? `on ${figure.on}`}</dd>
			</dl>
		</div>
	)
}

const nearChance = { label: 'Near chance', why: 'Dawid–Skene reliability barely above labelling without looking' }

function columnsFor(expectedPosition: string): DataTableColumn<QualityRow>[] {
	return [
		{
			id: 'displayName',
			accessorKey: 'displayName',
			header: 'Annotator',
			cell: ({ row }) => <span className="font-medium">{row.original.displayName}</span>,
		},
		{
			id: 'judgments',
			accessorKey: 'judgments',
			header: 'Judgments',
			cell: ({ row }) => row.original.judgments.toLocaleString('en-US'),
		},
		{
			id: 'looAgreement',
			accessorKey: 'looAgreement',
			header: 'Agreement with others',
			cell: ({ row }) => (
				<span title={`Leave-one-out consensus of the other annotators, over ${row.original.looItems} items`}>
					{percent(row.original.looAgreement)}
				</span>
			),
		},
		{
			id: 'goldAccuracy',
			accessorKey: 'goldAccuracy',
			header: 'Gold accuracy',
			cell: ({ row }) =>
				row.original.goldJudgments ? `${percent(row.original.goldAccuracy)} (${row.original.goldJudgments})` : '—',
		},
		{
			id: 'reliability',
			accessorKey: 'reliability',
			header: 'Reliability',
			cell: ({ row }) => (
				<span
					title={`Dawid–Skene: the chance this annotator's label is the true one; ${percent(row.original.reliabilityChance)} labelling without looking`}
				>
					{percent(row.original.reliability)}
				</span>
			),
		},
		{
			id: 'positionRate',
			accessorKey: 'positionRate',
			header: 'Chose first shown',
			cell: ({ row }) => (
				<span title={`Chance: ${expectedPosition}. ${row.original.positionTrials} strict choices.`}>
					{percent(row.original.positionRate)}{' '}
					<span className="text-xs text-slate-500">{pValue(row.original.positionP)}</span>
				</span>
			),
		},
		{
			id: 'lengthRate',
			accessorKey: 'lengthRate',
			header: 'Chose longer',
			cell: ({ row }) => (
				<span title={`${row.original.lengthTrials} preferences between responses of different length`}>
					{percent(row.original.lengthRate)}{' '}
					<span className="text-xs text-slate-500">{pValue(row.original.lengthP)}</span>
				</span>
			),
		},
		{
			id: 'medianActiveMs',
			accessorKey: 'medianActiveMs',
			header: 'Median time',
			cell: ({ row }) => seconds(row.original.medianActiveMs),
		},
		{
			id: 'flags',
			header: 'Flags',
			cell: ({ row }) =>
				row.original.flags.length === 0 && !row.original.nearChance ? (
					<span className="text-slate-400">none</span>
				) : (
					<span className="flex flex-wrap gap-1">
						{[
							...row.original.flags.map((flag) => flagLabels[flag]),
							...(row.original.nearChance ? [nearChance] : []),
						].map((flag) => (
							<span
								key={flag.label}
								className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900"
								title={flag.why}
							>
								{flag.label}
							</span>
						))}
					</span>
				),
		},
	]
}

const HEATMAP_LIMIT = 30

const interval = (low: number | null, high: number | null, format: (value: number) => string) =>
	low === null || high === null ? null : `95% CI ${format(low)} – ${format(high)}`

function positionWords(judge: QualityRow) {
	if (judge.positionTrials === 0) return 'No strict choices in its calls yet, so no position test.'
	const rate = `${percent(judge.positionRate)} of its calls' strict choices went to the response shown first (chance ${percent(judge.positionExpected)})`
	return judge.flags.includes('position-bias')
		? `Position bias: ${rate}, ${pValue(judge.positionP)}.`
		: `No position bias found: ${rate}.`
}

function lengthWords(judge: QualityRow, projectLengthRate: number | null) {
	if (judge.lengthTrials === 0) return 'No strict preferences between responses of different length yet.'
	const rate = `${percent(judge.lengthRate)} of its strict preferences went to the longer response (people: ${percent(projectLengthRate)})`
	return judge.flags.includes('length-bias')
		? `Length bias: ${rate}, ${pValue(judge.lengthP)}.`
		: `No length bias found: ${rate}.`
}

/** Per AI judge: agreement with the human consensus, position inconsistency, biases and gold accuracy. */
function AiJudges({
	slug,
	judges,
	counted,
	projectLengthRate,
}: {
	slug: string
	judges: QualityRow[]
	counted: boolean
	projectLengthRate: number | null
}) {
	return (
		<section aria-labelledby="judges-heading" className="space-y-3">
			<h2 id="judges-heading" className="text-lg font-semibold">
				AI judges
			</h2>
			{judges.length === 0 ? (
				<p className="card text-slate-600">
					No AI judge has judged this project yet.{' '}
					<Link to={`/projects/${slug}/judge`} className="text-indigo-700 underline">
						Run a judge
					</Link>{' '}
					to compare a model's verdicts with your annotators'.
				</p>
			) : (
				<>
					<p className="text-sm text-slate-600">
						Judges are measured like annotators.{' '}
						{counted
							? 'This project counts their judgments in the consensus, agreement and leaderboard above.'
							: 'Their judgments stay out of the human consensus, agreement and leaderboard.'}{' '}
						Agreement is with the human consensus (the adjudication where there is one) on the items both judged; 95%
						bootstrap intervals over items.
					</p>
					<div className="grid gap-4 lg:grid-cols-2">
						{judges.map((judge) => {
							const consensus = judge.humanConsensus ?? null
							return (
								<article key={judge.userId} className="card space-y-2" aria-label={`AI judge ${judge.displayName}`}>
									<h3 className="font-semibold">{judge.displayName}</h3>
									<div className="grid grid-cols-2 gap-3">
										<div role="group" aria-label="Cohen's kappa with the human consensus">
											<p className="text-sm text-slate-500">Cohen's κ with people</p>
											<p className="text-2xl font-semibold tabular-nums">
												{consensus?.kappa === null || consensus === null ? '—' : consensus.kappa.toFixed(3)}
											</p>
											<p className="text-xs text-slate-500">
												{consensus
													? (interval(consensus.kappaCiLow, consensus.kappaCiHigh, (v) => v.toFixed(3)) ??
															'no interval') + ` · ${consensus.items.toLocaleString('en-US')} items`
													: 'No item judged by both yet'}
											</p>
										</div>
										<div role="group" aria-label="Percent agreement with the human consensus">
											<p className="text-sm text-slate-500">Agreement with people</p>
											<p className="text-2xl font-semibold tabular-nums">{percent(consensus?.percent ?? null)}</p>
											<p className="text-xs text-slate-500">
												{consensus
													? (interval(consensus.percentCiLow, consensus.percentCiHigh, percent) ?? 'no interval')
													: ''}
											</p>
										</div>
										<div role="group" aria-label="Position inconsistency">
											<p className="text-sm text-slate-500">Position-inconsistent</p>
											<p className="text-2xl font-semibold tabular-nums">
												{percent(judge.positionInconsistency ?? null)}
											</p>
											<p className="text-xs text-slate-500">
												of {judge.judgments.toLocaleString('en-US')} judgments changed with the order
											</p>
										</div>
										<div role="group" aria-label="Gold accuracy">
											<p className="text-sm text-slate-500">Gold accuracy</p>
											<p className="text-2xl font-semibold tabular-nums">{percent(judge.goldAccuracy)}</p>
											<p className="text-xs text-slate-500">
												{judge.goldJudgments > 0
													? `on ${judge.goldJudgments.toLocaleString('en-US')} gold items`
													: 'No gold item judged'}
											</p>
										</div>
									</div>
									<ul className="space-y-1 text-sm text-slate-700">
										<li>{positionWords(judge)}</li>
										<li>{lengthWords(judge, projectLengthRate)}</li>
										{judge.flags.includes('low-gold-accuracy') ? (
											<li>Low gold accuracy: it often disagrees with the known answers of gold items.</li>
										) : null}
									</ul>
								</article>
							)
						})}
					</div>
				</>
			)}
		</section>
	)
}

export default function ProjectQualityPage() {
	const {
		project,
		canManage,
		computedAt,
		canRecompute,
		agreement,
		annotators,
		table,
		everyone,
		dawidSkene,
		judges,
		judgesCounted,
	} = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	// A comparison project's units are (item, pair), read as pairwise items (ADR 0024).
	const pairwise = project.taskType === 'pairwise' || project.taskType === 'comparison'
	const shown = everyone.slice(0, HEATMAP_LIMIT)
	const index = new Map(shown.map((entry, i) => [entry.userId, i]))
	const kappas: (number | null)[][] = shown.map(() => shown.map(() => null))
	const shared: number[][] = shown.map(() => shown.map(() => 0))
	for (const pair of annotators?.pairs ?? []) {
		const i = index.get(pair.a)
		const j = index.get(pair.b)
		if (i === undefined || j === undefined) continue
		kappas[i]![j] = kappas[j]![i] = pair.kappa
		shared[i]![j] = shared[j]![i] = pair.sharedItems
	}
	const thresholds = annotators?.thresholds

	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			<ProjectHeader project={project} canManage={canManage} />
			<AnalyticsStatus computedAt={computedAt} canRecompute={canRecompute} result={result} />

			{agreement ? (
				<>
					<section aria-labelledby="agreement-heading" className="space-y-3">
						<div className="flex flex-wrap items-baseline justify-between gap-2">
							<h2 id="agreement-heading" className="text-lg font-semibold">
								Agreement
							</h2>
							<p className="text-sm text-slate-500">
								{agreement.judgments.toLocaleString('en-US')} judgments on {agreement.items.toLocaleString('en-US')}{' '}
								items
								{agreement.units !== undefined
									? ` (${agreement.units.toLocaleString('en-US')} pairs judged, each a unit of agreement)`
									: ''}{' '}
								by {agreement.annotators} annotators · gold items left out · 95% bootstrap intervals over{' '}
								{agreement.units !== undefined ? 'prompts, each with its pairs' : 'items'}
							</p>
						</div>
						{agreement.items === 0 ? <p className="card text-center text-slate-600">No judgments yet.</p> : null}
						<div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
							{agreement.figures.map((figure) => (
								<FigureCard key={figure.key} figure={figure} />
							))}
						</div>
					</section>

					<section aria-labelledby="annotators-heading" className="space-y-3">
						<h2 id="annotators-heading" className="text-lg font-semibold">
							Annotators
						</h2>
						<DataTable
							caption="Annotator quality"
							columns={columnsFor(pairwise ? '50%' : '1 in the number of responses')}
							data={table.rows}
							total={table.total}
							getRowId={(row) => row.userId}
							defaultSort={{ id: 'judgments', desc: true }}
							emptyState="No annotator has judged an item yet."
						/>
						{annotators && thresholds ? (
							<p className="text-xs text-slate-500">
								Flags: too fast when the median active time is under {thresholds.fastAbsoluteMs / 1000} s or under{' '}
								{thresholds.fastRelative * 100}% of the project's median ({seconds(annotators.projectMedianActiveMs)});
								position bias when the first-shown response is chosen more or less often than chance (exact binomial
								test, p &lt; {thresholds.biasPValue}, at least {thresholds.biasMinEffect * 100} points off,{' '}
								{thresholds.minBiasTrials}+ choices)
								{annotators.randomizedOrder
									? ''
									: ' — not flagged here, because this project does not randomize the order'}
								; length bias the same, against the rest of the team's rate ({percent(annotators.projectLengthRate)} for
								everyone). Reliability is Dawid–Skene's estimate of how often the annotator's label is the true one,
								weighing gold items as known answers; near chance when it is within{' '}
								{dawidSkene ? dawidSkene.thresholds.nearChanceMargin * 100 : 10} points of labelling without looking (
								{dawidSkene?.thresholds.minJudgments ?? 10}+ judgments).
							</p>
						) : null}
					</section>

					<AiJudges
						slug={project.slug}
						judges={judges}
						counted={judgesCounted}
						projectLengthRate={annotators?.projectLengthRate ?? null}
					/>

					{dawidSkene ? (
						<section aria-labelledby="dawid-skene-heading" className="card space-y-3">
							<div className="flex flex-wrap items-baseline justify-between gap-2">
								<h2 id="dawid-skene-heading" className="font-semibold">
									Consensus weighted by reliability (Dawid–Skene)
								</h2>
								<p className="text-sm text-slate-500">
									{dawidSkene.items.toLocaleString('en-US')} items · {dawidSkene.iterations} rounds
									{dawidSkene.converged ? '' : ' (not converged)'}
								</p>
							</div>
							<dl className="grid gap-4 sm:grid-cols-2">
								<div>
									<dt className="text-sm text-slate-500">Dawid–Skene and the majority disagree</dt>
									<dd className="text-2xl font-semibold tabular-nums">
										{dawidSkene.disagreeCount.toLocaleString('en-US')}
									</dd>
									<dd className="text-xs">
										<Link
											className="text-indigo-700 underline"
											to={`/projects/${project.slug}/review?status=all&disagreement=dawid-skene`}
										>
											Review them
										</Link>
									</dd>
								</div>
								<div>
									<dt className="text-sm text-slate-500">
										Items under {dawidSkene.thresholds.confident * 100}% confidence
									</dt>
									<dd className="text-2xl font-semibold tabular-nums">
										{dawidSkene.uncertainCount.toLocaleString('en-US')}
									</dd>
								</div>
							</dl>
							{dawidSkene.itemList.length === 0 ? (
								<p className="text-sm text-slate-500">No judged items yet.</p>
							) : (
								<table className="w-full text-sm">
									<caption className="text-left text-sm text-slate-600">
										The items where Dawid–Skene and the majority disagree, then the least certain
										{pairwise ? '' : ' (a ranking is as sure as its least sure pair of responses)'}
									</caption>
									<thead>
										<tr className="text-left text-slate-500">
											<th className="py-1 pr-3 font-medium">Item</th>
											<th className="py-1 pr-3 font-medium">Dawid–Skene</th>
											<th className="py-1 pr-3 font-medium">Confidence</th>
											<th className="py-1 pr-3 font-medium">Majority</th>
											<th className="py-1 pr-3 font-medium">Votes</th>
										</tr>
									</thead>
									<tbody>
										{dawidSkene.itemList.map((entry) => (
											<tr
												key={entry.pair ? `${entry.itemId}:${entry.pair.join(',')}` : entry.itemId}
												className="border-t border-slate-100"
											>
												<td className="py-1 pr-3">
													<Link
														to={`/projects/${project.slug}/review/${entry.itemId}${entry.pair ? `?pair=${entry.pair.join(',')}` : ''}`}
														className="font-mono text-xs font-medium text-indigo-700 hover:underline"
													>
														{entry.externalId}
													</Link>
												</td>
												<td className="py-1 pr-3 font-mono text-xs">{formatRanking(entry.consensus)}</td>
												<td className="py-1 pr-3 tabular-nums">{percent(entry.confidence)}</td>
												<td className="py-1 pr-3 font-mono text-xs">
													{formatRanking(entry.majority)}
													{entry.disagrees ? (
														<span className="ml-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">
															differs
														</span>
													) : null}
												</td>
												<td className="py-1 pr-3 tabular-nums">{entry.votes}</td>
											</tr>
										))}
									</tbody>
								</table>
							)}
						</section>
					) : null}

					<section aria-labelledby="cohen-heading" className="card space-y-3">
						<h2 id="cohen-heading" className="font-semibold">
							Cohen's κ between annotators
						</h2>
						<p className="text-sm text-slate-600">
							Unweighted, on {pairwise ? 'the choice' : 'the pairs each ranking implies'}, for pairs who judged at least{' '}
							{thresholds?.minSharedItems ?? 5} items in common.
							{everyone.length > HEATMAP_LIMIT
								? ` The ${HEATMAP_LIMIT} most active annotators are shown; the download has every pair.`
								: ''}
						</p>
						{(annotators?.pairs.length ?? 0) === 0 ? (
							<p className="text-sm text-slate-500">No two annotators share enough items yet.</p>
						) : (
							<Heatmap
								caption="Cohen's kappa between annotators"
								labels={shown.map((entry) => entry.displayName)}
								values={kappas}
								scale={{ min: -1, max: 1, center: 0 }}
								describe={(i, j, value) =>
									`${shown[i]!.displayName} and ${shown[j]!.displayName}: κ = ${value.toFixed(3)} on ${shared[i]![j]} shared items`
								}
							/>
						)}
					</section>

					<Downloads
						slug={project.slug}
						tables={[
							{ table: 'agreement', label: 'agreement' },
							{ table: 'annotators', label: 'annotators' },
							{ table: 'annotator-pairs', label: "Cohen's κ pairs" },
						]}
					/>
				</>
			) : null}
		</main>
	)
}
