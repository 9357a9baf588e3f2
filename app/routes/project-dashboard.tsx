import { Form, Link, redirect, useLoaderData } from 'react-router'
import type { Route } from './+types/project-dashboard'
import { ProjectHeader } from '#app/components/project-header.tsx'
import { ThroughputChart } from '#app/components/throughput-chart.tsx'
import { readJudging } from '#app/modules/analytics/judging-settings.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { listImports } from '#app/modules/imports/list-imports.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { overlapPolicy } from '#app/modules/projects/overlap-policy.ts'
import { getOverlapSpend, type OverlapSpend } from '#app/modules/projects/overlap-spend.server.ts'
import { getRoutingSavings, type RoutingSavings } from '#app/modules/projects/routing-savings.server.ts'
import { getCurrentGuidelines } from '#app/modules/projects/guidelines.server.ts'
import { listMembers } from '#app/modules/projects/members.server.ts'
import { canManageProjects, canReadProjects } from '#app/modules/projects/policies.ts'
import { statusActionsFor } from '#app/modules/projects/project-settings.ts'
import { getProjectStats } from '#app/modules/projects/project-stats.server.ts'
import { serializeProject } from '#app/modules/projects/serialize-project.ts'
import { setProjectStatus } from '#app/modules/projects/set-project-status.server.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.project.name ?? 'Project'} · Quorum` }]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	if (!canReadProjects(user)) {
		await getProjectForUser({ slug: params.slug, user, access: 'annotate' })
		throw redirect(`/projects/${params.slug}/annotate`)
	}
	const project = await getProjectForUser({ slug: params.slug, user, access: 'read' })
	const policy = overlapPolicy(project)
	const routed = policy.mode === 'fixed' && readJudging(project.judging).routing
	const [stats, members, guidelines, imports, overlapSpend, routingSavings] = await Promise.all([
		getProjectStats({ project }),
		listMembers({ projectId: project.id }),
		getCurrentGuidelines({ projectId: project.id }),
		listImports({ projectId: project.id, limit: 5 }),
		policy.mode === 'adaptive' ? getOverlapSpend({ projectId: project.id, policy }) : null,
		routed ? getRoutingSavings({ projectId: project.id, overlap: project.overlap }) : null,
	])
	return {
		project: serializeProject(project),
		canManage: canManageProjects(user),
		stats,
		annotatorCount: members.filter((member) => member.role === 'annotator').length,
		reviewerCount: members.filter((member) => member.role === 'reviewer').length,
		guidelineVersion: guidelines.content.trim() ? guidelines.version : 0,
		imports,
		overlapSpend,
		routingSavings,
	}
})

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUser(request)
	const form = await request.formData()
	await setProjectStatus({ slug: params.slug, user, status: form.get('status') })
	return { ok: true }
})

const percent = (value: number) => `${(value * 100).toFixed(value > 0 && value < 0.001 ? 2 : 1)}%`
const number = (value: number) => value.toLocaleString('en-US')

function Stat({ label, value, hint }: { label: string; value: React.ReactNode; hint?: React.ReactNode }) {
	return (
		<div className="card" role="group" aria-label={label}>
			<dt className="text-sm text-slate-500">{label}</dt>
			<dd className="mt-1 text-2xl font-semibold tracking-tight">{value}</dd>
			{hint ? <dd className="mt-1 text-xs text-slate-500">{hint}</dd> : null}
		</div>
	)
}

function OverlapSpendCard({ spend }: { spend: OverlapSpend }) {
	const tallest = Math.max(1, ...spend.histogram.map((bar) => bar.items))
	const saved = spend.fixedEquivalent - spend.spent
	return (
		<section className="card space-y-3" aria-labelledby="spend-heading">
			<h2 id="spend-heading" className="font-semibold">
				Judgments spent per item
			</h2>
			{spend.closedItems === 0 ? (
				<p className="text-sm text-slate-500">No item has closed yet.</p>
			) : (
				<>
					<p className="text-sm text-slate-700">
						{number(spend.closedItems)} closed items took <strong>{spend.mean.toFixed(2)}</strong> judgments each on
						average ({number(spend.spent)} in all). A fixed overlap of {spend.fixedOverlap} would have spent{' '}
						{number(spend.fixedEquivalent)}
						{saved > 0 ? `: ${number(saved)} fewer (${percent(saved / spend.fixedEquivalent)})` : ''}.
					</p>
					<table className="text-sm" aria-label="Closed items by judgments taken">
						<tbody>
							{spend.histogram.map((bar) => (
								<tr key={bar.judgments}>
									<th scope="row" className="w-28 py-0.5 pr-2 text-left font-normal text-slate-600">
										{bar.judgments} {bar.judgments === 1 ? 'judgment' : 'judgments'}
									</th>
									<td className="w-full py-0.5">
										<div
											className="h-3 rounded bg-indigo-500"
											style={{ width: `${(bar.items / tallest) * 100}%`, minWidth: bar.items > 0 ? '2px' : 0 }}
										/>
									</td>
									<td className="py-0.5 pl-2 text-right tabular-nums">{number(bar.items)}</td>
								</tr>
							))}
						</tbody>
					</table>
				</>
			)}
		</section>
	)
}

function RoutingSavingsCard({ savings, overlap }: { savings: RoutingSavings; overlap: number }) {
	return (
		<section className="card space-y-2" aria-labelledby="routing-heading">
			<h2 id="routing-heading" className="font-semibold">
				Hybrid routing
			</h2>
			<p className="text-2xl font-semibold tabular-nums" data-testid="routing-saved">
				{number(savings.saved)} human {savings.saved === 1 ? 'judgment' : 'judgments'} saved
			</p>
			<p className="text-sm text-slate-700">
				The AI judge was consistent in both orders and confident on {number(savings.items)}{' '}
				{savings.items === 1 ? 'item' : 'items'}, so people judge those fewer times than the overlap of {overlap}; the
				rest get the full overlap. Without routing, the regular items would take {number(savings.fullOverlap)} human
				judgments
				{savings.fullOverlap > 0 && savings.saved > 0 ? ` (${percent(savings.saved / savings.fullOverlap)} saved)` : ''}
				.
			</p>
		</section>
	)
}

function etaText(eta: { at: string | null; reason: string | null }) {
	if (eta.at) return new Date(eta.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
	switch (eta.reason) {
		case 'complete':
			return 'Done'
		case 'no-items':
			return '—'
		case 'not-active':
			return 'Not running'
		default:
			return 'No recent work'
	}
}

export default function ProjectDashboardPage() {
	const {
		project,
		canManage,
		stats,
		annotatorCount,
		reviewerCount,
		guidelineVersion,
		imports,
		overlapSpend,
		routingSavings,
	} = useLoaderData<typeof loader>()
	const { counts, throughput, eta } = stats
	const base = `/projects/${project.slug}`
	const regularItems = counts.itemCount - counts.goldCount
	const steps = [
		{ done: regularItems > 0, text: 'Import items to label', to: `${base}/import`, action: 'Import items' },
		{
			done: annotatorCount > 0,
			text: 'Add annotators who will judge them',
			to: `${base}/members`,
			action: 'Add members',
		},
		{
			done: guidelineVersion > 0,
			text: 'Write guidelines so everyone judges the same way',
			to: `${base}/guidelines`,
			action: 'Write guidelines',
		},
		{
			done: project.status !== 'draft',
			text: 'Activate the project so annotators receive work',
			to: `${base}/settings`,
			action: 'Open settings',
		},
	]
	const pending = steps.filter((step) => !step.done)
	const pauseResume = statusActionsFor(project.status).filter((action) => action.to !== 'archived')

	return (
		<main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
			<ProjectHeader project={project} canManage={canManage}>
				{canManage
					? pauseResume.map((action) => (
							<Form method="post" key={action.to}>
								<button
									type="submit"
									name="status"
									value={action.to}
									className={action.tone === 'primary' ? 'btn-primary' : 'btn-secondary'}
								>
									{action.label}
								</button>
							</Form>
						))
					: null}
			</ProjectHeader>

			{project.description ? <p className="text-slate-700">{project.description}</p> : null}

			{canManage && pending.length > 0 ? (
				<section className="card border-indigo-200 bg-indigo-50/40" aria-labelledby="next-heading">
					<h2 id="next-heading" className="font-semibold">
						{regularItems === 0 ? 'This project has no items yet' : 'Next steps'}
					</h2>
					<ol className="mt-3 space-y-2 text-sm">
						{steps.map((step) => (
							<li key={step.text} className="flex items-center justify-between gap-3">
								<span className={step.done ? 'text-slate-400 line-through' : 'text-slate-800'}>
									<span aria-hidden>{step.done ? '✓ ' : '○ '}</span>
									{step.text}
									{step.done ? <span className="sr-only"> (done)</span> : null}
								</span>
								{step.done ? null : (
									<Link to={step.to} className="btn-secondary">
										{step.action}
									</Link>
								)}
							</li>
						))}
					</ol>
				</section>
			) : null}
			{!canManage && regularItems === 0 ? (
				<p className="card text-center text-slate-600">No items have been imported into this project yet.</p>
			) : null}

			<dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
				<Stat
					label="Completion"
					value={percent(counts.completion)}
					hint={
						<span>
							{number(counts.completeCount)} of {number(regularItems)} items complete ·{' '}
							{project.overlapPolicy.mode === 'adaptive'
								? `adaptive overlap ${project.overlapPolicy.min}–${project.overlapPolicy.max} to ${percent(project.overlapPolicy.confidence)} confidence`
								: `overlap ${project.overlap}`}
						</span>
					}
				/>
				<Stat
					label="Items"
					value={number(counts.itemCount)}
					hint={`${counts.waitingCount ? `${number(counts.waitingCount)} waiting for responses · ` : ''}${number(counts.openCount)} open · ${number(counts.inProgressCount)} in progress · ${number(counts.goldCount)} gold`}
				/>
				<Stat
					label="Judgments"
					value={number(counts.judgmentCount)}
					hint={`${number(counts.remainingJudgments)} still wanted`}
				/>
				<Stat
					label="Estimated finish"
					value={etaText(eta)}
					hint={
						throughput.ratePerHour > 0
							? `at ${throughput.ratePerHour.toFixed(1)} judgments/hour (last 24 h)`
							: `${annotatorCount} annotators · ${reviewerCount} reviewers`
					}
				/>
			</dl>
			<div
				className="h-2 overflow-hidden rounded-full bg-slate-200"
				role="progressbar"
				aria-label="Completion"
				aria-valuemin={0}
				aria-valuemax={100}
				aria-valuenow={Math.round(counts.completion * 100)}
			>
				<div className="h-full bg-indigo-600" style={{ width: `${Math.min(100, counts.completion * 100)}%` }} />
			</div>

			<section className="card">
				<ThroughputChart points={throughput.hours} />
			</section>

			{overlapSpend ? <OverlapSpendCard spend={overlapSpend} /> : null}
			{routingSavings ? <RoutingSavingsCard savings={routingSavings} overlap={project.overlap} /> : null}

			<section className="card space-y-3" aria-labelledby="imports-heading">
				<div className="flex items-center justify-between">
					<h2 id="imports-heading" className="font-semibold">
						Recent imports
					</h2>
					{canManage ? (
						<Link to={`${base}/import`} className="text-sm text-indigo-700 hover:underline">
							Import a file
						</Link>
					) : null}
				</div>
				{imports.length === 0 ? (
					<p className="text-sm text-slate-500">No imports yet.</p>
				) : (
					<ul className="divide-y divide-slate-100 text-sm">
						{imports.map((entry) => (
							<li key={entry.id} className="flex flex-wrap justify-between gap-2 py-2">
								<span>
									<span className="font-mono">{entry.filename ?? entry.format}</span>{' '}
									{entry.refused ? (
										<span className="text-rose-700">refused: {number(entry.errorCount)} errors</span>
									) : (
										<span className="text-slate-600">
											{number(entry.imported)} new · {number(entry.updated)} updated · {number(entry.unchanged)}{' '}
											unchanged
											{entry.errorCount > 0 ? ` · ${number(entry.errorCount)} skipped errors` : ''}
										</span>
									)}
								</span>
								<span className="text-slate-500">
									{entry.by ? `${entry.by}, ` : ''}
									{new Date(entry.createdAt).toLocaleString()}
								</span>
							</li>
						))}
					</ul>
				)}
			</section>
		</main>
	)
}
