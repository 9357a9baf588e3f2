import { Link, useActionData, useLoaderData, useSearchParams } from 'react-router'
import type { Route } from './+types/project-review'
import { DataTable, type DataTableColumn } from '#app/components/data-table.tsx'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { AnalyticsStatus, Downloads } from '#app/components/quality/analytics-status.tsx'
import { REVIEW_QUEUE_STATUSES } from '#app/modules/analytics/analytics.schema.ts'
import type { ReviewQueueEntry } from '#app/modules/analytics/analytics.types.ts'
import { formatRanking } from '#app/modules/analytics/format-ranking.ts'
import { getReviewQueue } from '#app/modules/analytics/get-review-queue.server.ts'
import { requestAnalyticsRefresh } from '#app/modules/analytics/request-analytics-refresh.server.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { canManageProjects } from '#app/modules/projects/policies.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [
	{ title: `Review queue · ${data?.project.name ?? 'Project'} · Quorum` },
]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	const queue = await getReviewQueue({
		slug: params.slug,
		user,
		query: Object.fromEntries(new URL(request.url).searchParams),
	})
	return { ...queue, project: serializeProject(queue.project), canManage: canManageProjects(user) }
})

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUser(request)
	return requestAnalyticsRefresh({ slug: params.slug, user })
})

const statusLabels: Record<(typeof REVIEW_QUEUE_STATUSES)[number], string> = {
	open: 'Open',
	adjudicated: 'Adjudicated',
	all: 'All',
}

function columnsFor(slug: string): DataTableColumn<ReviewQueueEntry>[] {
	return [
		{
			id: 'item',
			header: 'Item',
			cell: ({ row }) => (
				<span className="block max-w-lg">
					<Link
						to={`/projects/${slug}/review/${row.original.itemId}${row.original.pair ? `?pair=${row.original.pair.join(',')}` : ''}`}
						className="font-mono text-xs font-medium text-indigo-700 hover:underline"
					>
						{row.original.externalId}
					</Link>
					{row.original.pair ? (
						<span className="ml-2 text-xs text-slate-500" data-testid="queue-pair">
							pair {row.original.pair.join(' vs ')}
						</span>
					) : null}
					<span className="line-clamp-2 text-slate-700" dir="auto">
						{row.original.preview}
					</span>
				</span>
			),
		},
		{
			id: 'disagreement',
			header: 'Disagreement',
			cell: ({ row }) => (
				<span className="flex items-center gap-2 tabular-nums">
					<span className="h-1.5 w-16 overflow-hidden rounded-full bg-slate-200" aria-hidden>
						<span
							className="block h-full bg-rose-500"
							style={{ width: `${Math.round(row.original.disagreement * 100)}%` }}
						/>
					</span>
					{row.original.disagreement.toFixed(2)}
				</span>
			),
		},
		{
			id: 'answers',
			header: 'Answers',
			cell: ({ row }) => (
				<ul className="space-y-0.5 font-mono text-xs">
					{row.original.answers.map((answer, i) => (
						<li key={i}>
							{formatRanking(answer)} <span className="text-slate-500">×{answer.count}</span>
						</li>
					))}
				</ul>
			),
		},
		{
			id: 'consensus',
			header: 'Consensus',
			cell: ({ row }) => (
				<span className="font-mono text-xs">
					{formatRanking(row.original.consensus)}
					{row.original.adjudicated ? (
						<span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 font-sans text-emerald-800">adjudicated</span>
					) : null}
				</span>
			),
		},
	]
}

export default function ProjectReviewPage() {
	const {
		project,
		canManage,
		computedAt,
		updatedAt,
		canRecompute,
		computed,
		status,
		disagreement,
		dawidSkeneDisagreeCount,
		items,
		total,
		openCount,
		adjudicatedCount,
	} = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const [, setSearchParams] = useSearchParams()
	const counts = { open: openCount, adjudicated: adjudicatedCount, all: openCount + adjudicatedCount }
	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			<ProjectHeader project={project} canManage={canManage} />
			<AnalyticsStatus computedAt={computedAt} canRecompute={canRecompute} result={result} />
			{computed ? (
				<>
					<div className="flex flex-wrap items-end justify-between gap-4">
						<div>
							<h2 className="text-lg font-semibold">Review queue</h2>
							<p className="text-sm text-slate-600">
								Items whose judgments disagree, most disputed first.{' '}
								{updatedAt && updatedAt !== computedAt ? 'Adjudications since are included.' : ''}
							</p>
						</div>
						<div role="group" aria-label="Filter by status" className="flex gap-1 text-sm">
							{REVIEW_QUEUE_STATUSES.map((value) => (
								<button
									key={value}
									type="button"
									aria-pressed={status === value}
									className={status === value ? 'btn-primary' : 'btn-secondary'}
									onClick={() => setSearchParams({ status: value })}
								>
									{statusLabels[value]} ({counts[value].toLocaleString('en-US')})
								</button>
							))}
							<button
								type="button"
								aria-pressed={disagreement === 'dawid-skene'}
								className={disagreement === 'dawid-skene' ? 'btn-primary' : 'btn-secondary'}
								title="Items where the consensus weighted by each annotator's reliability (Dawid–Skene) differs from the plain majority"
								onClick={() =>
									setSearchParams(disagreement === 'dawid-skene' ? { status } : { status, disagreement: 'dawid-skene' })
								}
							>
								Dawid–Skene differs ({dawidSkeneDisagreeCount.toLocaleString('en-US')})
							</button>
						</div>
					</div>
					<DataTable
						caption="Review queue"
						columns={columnsFor(project.slug)}
						data={items}
						total={total}
						getRowId={(entry) => (entry.pair ? `${entry.itemId}:${entry.pair.join(',')}` : entry.itemId)}
						emptyState={
							status === 'open'
								? 'Nothing to review: every judged item agrees, or has been adjudicated.'
								: 'No items here.'
						}
					/>
					{status === 'open' && openCount > total ? (
						<p className="text-xs text-slate-500">
							The queue shows the {total.toLocaleString('en-US')} most disputed of {openCount.toLocaleString('en-US')}{' '}
							open items; the rest appear as these are settled and the figures are recomputed.
						</p>
					) : null}
					<Downloads slug={project.slug} tables={[{ table: 'review-queue', label: 'review queue' }]} />
				</>
			) : null}
		</main>
	)
}
