import { useEffect, useRef } from 'react'
import { data, Form, Link, redirect, useActionData, useLoaderData, useNavigation, useSearchParams } from 'react-router'
import type { Route } from './+types/project-review-item'
import { RenderedHtml } from '#app/components/workspace/response-card.tsx'
import { adjudicateItem } from '#app/modules/analytics/adjudicate-item.server.ts'
import { adjudicationFromForm } from '#app/modules/analytics/adjudication.schema.ts'
import { getReviewItem } from '#app/modules/analytics/get-review-item.server.ts'
import { requireUser } from '#app/modules/auth/require.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { clientIp } from '#app/utils/request.server.ts'
import { route } from '#app/utils/route.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Review ${data?.item.externalId ?? 'item'} · Quorum` }]

export const loader = route(async ({ request, params }: Route.LoaderArgs) => {
	const user = await requireUser(request)
	const pair = new URL(request.url).searchParams.get('pair')
	return getReviewItem({ slug: params.slug, itemId: params.itemId, user, pair: pair ? pair.split(',') : null })
})

export const action = route(async ({ request, params }: Route.ActionArgs) => {
	const user = await requireUser(request)
	const form = await request.formData()
	const responseIds = String(form.get('responses') ?? '').split(',')
	try {
		await adjudicateItem({
			itemId: params.itemId,
			user,
			input: adjudicationFromForm({ form, responseIds }),
			ip: clientIp(request),
		})
	} catch (error) {
		if (error instanceof AppError && error.code === 'INVALID') {
			const errors: Record<string, string[]> = {}
			for (const field of error.fieldErrors ?? [])
				(errors[field.path === 'note' ? 'note' : 'decision'] ??= []).push(field.message)
			return data({ errors }, { status: 422 })
		}
		throw error
	}
	const pair = form.get('pair')
	throw redirect(
		`/projects/${params.slug}/review/${params.itemId}?saved=1${pair ? `&pair=${encodeURIComponent(String(pair))}` : ''}`,
	)
})

const STRENGTHS = ['Negligible', 'Slight', 'Clear', 'Significant']

type Loaded = Awaited<ReturnType<typeof loader>>

function describeDecision(
	{ ranking, bothBad, strength }: { ranking: string[][]; bothBad: boolean; strength: number | null },
	labels: Map<string, string>,
	pairwise: boolean,
) {
	const label = (id: string) => labels.get(id) ?? id
	if (pairwise) {
		if (bothBad) return 'Both bad'
		if (ranking.length < 2) return 'Tie'
		return `${label(ranking[0]![0]!)} is better${strength === null ? '' : ` (${STRENGTHS[strength]?.toLowerCase()})`}`
	}
	return ranking.map((tier) => tier.map(label).join(' = ')).join(' > ')
}

function Context({ context }: { context: Loaded['item']['context'] }) {
	if (context.kind === 'prompt') return <RenderedHtml html={context.html} />
	return (
		<ol className="space-y-3">
			{context.messages.map((message, i) => (
				<li key={i} className="rounded-md border border-slate-100 bg-slate-50 px-3 py-2">
					<p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{message.role}</p>
					<RenderedHtml html={message.html} />
				</li>
			))}
		</ol>
	)
}

function AdjudicationForm({ view, errors }: { view: Loaded; errors: Record<string, string[]> | null }) {
	const navigation = useNavigation()
	const formRef = useRef<HTMLFormElement>(null)
	// A comparison item is decided a pair at a time, like a pairwise item.
	const responses = view.decisionResponses ?? view.responses
	const pairwise = view.project.taskType === 'pairwise' || view.decisionResponses !== null
	const [first, second] = responses
	const current = view.consensus
	const defaultDecision = current.bothBad
		? 'both-bad'
		: current.ranking.length < 2
			? 'tie'
			: current.ranking[0]![0] === first?.id
				? 'first'
				: 'second'
	const rankOf = new Map(current.ranking.flatMap((tier, t) => tier.map((id) => [id, t + 1] as const)))

	useEffect(() => {
		const form = formRef.current
		if (!form || !pairwise) return
		const onKey = (event: KeyboardEvent) => {
			const target = event.target as HTMLElement
			if (
				target.closest('textarea, input[type="text"], input[type="number"]') ||
				event.altKey ||
				event.ctrlKey ||
				event.metaKey
			)
				return
			const choice = { '1': 'first', '2': 'second', '3': 'tie', '4': 'both-bad' }[event.key]
			const strength = { q: '0', w: '1', e: '2', r: '3' }[event.key]
			const input = choice
				? form.querySelector<HTMLInputElement>(`input[name="decision"][value="${choice}"]`)
				: strength
					? form.querySelector<HTMLInputElement>(`input[name="strength"][value="${strength}"]`)
					: null
			if (!input) return
			event.preventDefault()
			input.checked = true
			input.focus()
		}
		window.addEventListener('keydown', onKey)
		return () => window.removeEventListener('keydown', onKey)
	}, [pairwise])

	const busy = navigation.state !== 'idle' && navigation.formMethod === 'POST'
	return (
		<Form
			method="post"
			ref={formRef}
			className="card space-y-4"
			aria-labelledby="adjudicate-heading"
			onKeyDown={(event) => {
				if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
					event.preventDefault()
					event.currentTarget.requestSubmit()
				}
			}}
		>
			<h2 id="adjudicate-heading" className="font-semibold">
				Your decision
			</h2>
			<input type="hidden" name="responses" value={responses.map((response) => response.id).join(',')} />
			{view.pair ? <input type="hidden" name="pair" value={view.pair.join(',')} /> : null}
			{pairwise && first && second ? (
				<>
					<fieldset className="space-y-2">
						<legend className="label">Which response is better?</legend>
						<div className="flex flex-wrap gap-2">
							{[
								{ value: 'first', label: `${first.label} is better`, key: '1' },
								{ value: 'second', label: `${second.label} is better`, key: '2' },
								{ value: 'tie', label: 'Tie', key: '3' },
								{ value: 'both-bad', label: 'Both bad', key: '4' },
							].map((option) => (
								<label
									key={option.value}
									className="flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50"
								>
									<input
										type="radio"
										name="decision"
										value={option.value}
										defaultChecked={option.value === defaultDecision}
									/>
									{option.label} <span className="kbd">{option.key}</span>
								</label>
							))}
						</div>
					</fieldset>
					{view.project.useStrength ? (
						<fieldset className="space-y-2">
							<legend className="label">How much better? (for a preference)</legend>
							<div className="flex flex-wrap gap-2">
								{STRENGTHS.map((label, value) => (
									<label
										key={label}
										className="flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50"
									>
										<input
											type="radio"
											name="strength"
											value={value}
											defaultChecked={value === (current.strength ?? 2)}
										/>
										{label} <span className="kbd">{'qwer'[value]}</span>
									</label>
								))}
							</div>
						</fieldset>
					) : null}
				</>
			) : (
				<fieldset className="space-y-2">
					<legend className="label">Rank the responses (1 is best; give equal numbers to tie)</legend>
					<div className="flex flex-wrap gap-3">
						{responses.map((response) => (
							<label key={response.id} className="flex items-center gap-2 text-sm">
								Response {response.label}
								<input
									type="number"
									name={`rank:${response.id}`}
									min={1}
									max={responses.length}
									defaultValue={rankOf.get(response.id) ?? 1}
									className="input w-20"
								/>
							</label>
						))}
					</div>
				</fieldset>
			)}
			{errors?.decision ? (
				<ul className="field-error" id="decision-error">
					{errors.decision.map((message) => (
						<li key={message}>{message}</li>
					))}
				</ul>
			) : null}
			<div>
				<label htmlFor="note" className="label">
					Note (why this is the answer)
				</label>
				<textarea
					id="note"
					name="note"
					rows={3}
					required
					maxLength={5000}
					className="input"
					aria-invalid={errors?.note ? true : undefined}
					aria-describedby={errors?.note ? 'note-error' : undefined}
				/>
				{errors?.note ? (
					<p className="field-error" id="note-error">
						{errors.note.join(' ')}
					</p>
				) : null}
			</div>
			<div className="flex flex-wrap items-center gap-3">
				<button type="submit" className="btn-primary" disabled={busy}>
					{busy ? 'Saving…' : 'Record decision'}
				</button>
				<span className="text-xs text-slate-500">
					Keys: <span className="kbd">1</span>–<span className="kbd">4</span> choose
					{view.project.useStrength && pairwise ? ', Q W E R set the strength' : ''}, <span className="kbd">Ctrl</span>+
					<span className="kbd">Enter</span> records.
				</span>
			</div>
		</Form>
	)
}

export default function ReviewItemPage() {
	const view = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const { project, item, responses, judgments, adjudications, consensus, nextItemId, canAdjudicate } = view
	const pairwise = project.taskType === 'pairwise'
	const labels = new Map(responses.map((response) => [response.id, response.label]))
	const describePair = (pair: string[]) => pair.map((id) => labels.get(id) ?? id).join(' vs ')
	const pairKey = view.pair ? view.pair.join(',') : null
	const base = `/projects/${project.slug}`
	const saved = searchParams.get('saved') === '1'

	return (
		<main className="mx-auto max-w-7xl space-y-6 px-6 py-10">
			<header className="flex flex-wrap items-end justify-between gap-4">
				<div>
					<p className="text-sm text-slate-500">
						<Link to="/projects" className="hover:underline">
							Projects
						</Link>{' '}
						/{' '}
						<Link to={base} className="hover:underline">
							{project.name}
						</Link>{' '}
						/{' '}
						<Link to={`${base}/review`} className="hover:underline">
							Review
						</Link>
					</p>
					<h1 className="mt-1 flex flex-wrap items-center gap-3 text-2xl font-bold tracking-tight">
						Item <span className="font-mono">{item.externalId}</span>
						{consensus.adjudicated ? (
							<span className="rounded bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
								Adjudicated
							</span>
						) : null}
						{item.isGold ? (
							<span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">Gold</span>
						) : null}
					</h1>
					<p className="mt-1 text-sm text-slate-600">
						{judgments.length} judgments · disagreement {view.disagreement.toFixed(2)}
					</p>
				</div>
				<nav aria-label="Queue" className="flex gap-2">
					<Link to={`${base}/review`} className="btn-secondary">
						Back to the queue
					</Link>
					{nextItemId ? (
						<Link
							to={`${base}/review/${nextItemId}${view.nextPair ? `?pair=${view.nextPair.join(',')}` : ''}`}
							className="btn-secondary"
						>
							Next disputed item →
						</Link>
					) : null}
				</nav>
			</header>

			{saved ? (
				<p
					role="status"
					className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm text-emerald-900"
				>
					Decision recorded: it is now this item's consensus.
				</p>
			) : null}

			<section aria-labelledby="context-heading" className="card space-y-2">
				<h2 id="context-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
					{item.context.kind === 'prompt' ? 'Prompt' : 'Conversation'}
				</h2>
				<Context context={item.context} />
			</section>

			<section
				aria-label="Responses"
				className={`grid gap-4 ${responses.length === 2 ? 'lg:grid-cols-2' : 'md:grid-cols-2 xl:grid-cols-3'}`}
			>
				{responses.map((response) => (
					<article
						key={response.id}
						aria-labelledby={`response-${response.id}`}
						className="flex min-w-0 flex-col rounded-lg border border-slate-200 bg-white shadow-sm"
					>
						<header className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-4 py-2">
							<h3 id={`response-${response.id}`} className="font-semibold">
								Response {response.label}{' '}
								<span className="font-mono text-xs font-normal text-slate-500">{response.id}</span>
							</h3>
							{response.model ? (
								<span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
									{response.model}
								</span>
							) : null}
							<span className="ml-auto text-xs text-slate-500">
								{response.words.toLocaleString()} words · {response.chars.toLocaleString()} chars
							</span>
						</header>
						{response.reasoningHtml ? (
							<details className="border-b border-slate-100 px-4 py-2 text-sm">
								<summary className="cursor-pointer select-none text-slate-600">Reasoning</summary>
								<RenderedHtml html={response.reasoningHtml} className="mt-2 text-slate-600" />
							</details>
						) : null}
						<div
							className="max-h-[50vh] overflow-auto px-4 py-3"
							tabIndex={0}
							aria-label={`Content of response ${response.label}`}
						>
							<RenderedHtml html={response.html} />
						</div>
					</article>
				))}
			</section>

			<section aria-labelledby="judgments-heading" className="card space-y-3">
				<h2 id="judgments-heading" className="font-semibold">
					Judgments
				</h2>
				{judgments.length === 0 ? (
					<p className="text-sm text-slate-500">No judgments yet.</p>
				) : (
					<ul className="divide-y divide-slate-100">
						{judgments.map((judgment) => (
							<li key={judgment.id} className="grid gap-1 py-3 sm:grid-cols-[12rem_1fr]">
								<div>
									<p className="font-medium">{judgment.annotator}</p>
									<p className="text-xs text-slate-500">
										{judgment.activeMs === null ? '' : `${(judgment.activeMs / 1000).toFixed(1)} s · `}shown{' '}
										{judgment.displayOrder.map((id) => labels.get(id) ?? id).join(', ')}
										{judgment.pair ? (
											<span data-testid="judgment-pair"> · pair {describePair(judgment.pair)}</span>
										) : null}
										{judgment.revision > 1 ? ` · revision ${judgment.revision}` : ''}
									</p>
								</div>
								<div className="space-y-1">
									<p className="font-medium" data-testid="judgment-decision">
										{describeDecision(judgment, labels, pairwise)}
									</p>
									{judgment.rationale ? (
										<p className="whitespace-pre-wrap text-sm text-slate-700" dir="auto">
											{judgment.rationale}
										</p>
									) : (
										<p className="text-sm italic text-slate-400">No rationale</p>
									)}
									{Object.keys(judgment.flags).some((id) => judgment.flags[id]!.length) ? (
										<p className="text-xs text-slate-600">
											Flags:{' '}
											{Object.entries(judgment.flags)
												.filter(([, list]) => list.length)
												.map(([id, list]) => `${labels.get(id) ?? id}: ${list.join(', ')}`)
												.join(' · ')}
										</p>
									) : null}
									{Object.keys(judgment.criteria).length ? (
										<p className="text-xs text-slate-600">
											Ratings:{' '}
											{Object.entries(judgment.criteria)
												.map(
													([id, ratings]) =>
														`${labels.get(id) ?? id}: ${Object.entries(ratings)
															.map(([name, value]) => `${name} ${value}`)
															.join(', ')}`,
												)
												.join(' · ')}
										</p>
									) : null}
								</div>
							</li>
						))}
					</ul>
				)}
			</section>

			{view.judges.length > 0 ? (
				<section aria-labelledby="judges-heading" className="card space-y-3">
					<h2 id="judges-heading" className="font-semibold">
						AI judges
					</h2>
					<p className="text-xs text-slate-500">
						Each judge saw the responses in both orders. Annotators never see these verdicts.
					</p>
					<ul className="divide-y divide-slate-100">
						{view.judges.map((verdict) => (
							<li key={verdict.id} className="grid gap-1 py-3 sm:grid-cols-[12rem_1fr]" data-testid="judge-verdict">
								<div>
									<p className="font-medium">{verdict.judge}</p>
									<p className="text-xs text-slate-500">
										{verdict.confidence === null
											? 'no stated confidence'
											: `confidence ${(verdict.confidence * 100).toFixed(0)}%`}
									</p>
								</div>
								<div className="space-y-1">
									<p className="font-medium" data-testid="judge-decision">
										{verdict.positionInconsistent
											? 'Position-inconsistent: its verdict changed with the order, stored as a tie'
											: describeDecision(verdict, labels, pairwise)}
									</p>
									{verdict.calls.map((call) => (
										<div key={call.order} className="text-sm text-slate-700">
											<p>
												<span className="text-slate-500">
													Shown {call.displayOrder.map((id) => labels.get(id) ?? id).join(', ')}:
												</span>{' '}
												{call.ranking
													? describeDecision(
															{ ranking: call.ranking, bothBad: false, strength: null },
															labels,
															pairwise,
														)
													: call.state === 'failed'
														? `failed${call.error ? ` (${call.error})` : ''}`
														: 'no verdict'}
												{call.confidence === null ? '' : ` · confidence ${(call.confidence * 100).toFixed(0)}%`}
											</p>
											{call.rationale ? (
												<p className="whitespace-pre-wrap text-sm text-slate-600" dir="auto">
													{call.rationale}
												</p>
											) : null}
										</div>
									))}
								</div>
							</li>
						))}
					</ul>
				</section>
			) : null}

			{view.pairs ? (
				<section aria-labelledby="pairs-heading" className="card space-y-2">
					<h2 id="pairs-heading" className="font-semibold">
						Pairs judged
					</h2>
					<p className="text-sm text-slate-600">
						Each judgment saw two of the responses; consensus and decisions are per pair.
					</p>
					<ul className="divide-y divide-slate-100 text-sm" data-testid="comparison-pairs">
						{view.pairs.map((entry) => (
							<li key={entry.pair.join(',')} className="flex flex-wrap items-center gap-3 py-2">
								<Link
									to={`?pair=${entry.pair.join(',')}`}
									aria-current={entry.pair.join(',') === pairKey ? 'true' : undefined}
									className="font-medium text-indigo-700 underline aria-[current]:text-slate-900 aria-[current]:no-underline"
								>
									{describePair(entry.pair)}
								</Link>
								<span className="text-slate-600">
									{entry.votes} judgments · {describeDecision(entry.consensus, labels, true)}
									{entry.consensus.adjudicated ? ' (adjudicated)' : ''} · disagreement {entry.disagreement.toFixed(2)}
								</span>
							</li>
						))}
					</ul>
				</section>
			) : null}

			<div className="grid gap-6 lg:grid-cols-2">
				<section aria-labelledby="consensus-heading" className="card space-y-3">
					<h2 id="consensus-heading" className="font-semibold">
						Consensus{view.pair ? ` on ${describePair(view.pair)}` : ''}
					</h2>
					<p className="text-lg" data-testid="consensus">
						{describeDecision(consensus, labels, pairwise || view.pair !== null)}
						<span className="ml-2 text-sm text-slate-500">
							{consensus.adjudicated ? 'by adjudication' : 'by the annotators’ majority'}
						</span>
					</p>
					{consensus.agreement !== null ? (
						<p className="text-sm text-slate-600">
							{(consensus.agreement * 100).toFixed(0)}% of the annotators’ answers match it.
						</p>
					) : null}
					{item.gold ? (
						<p className="text-sm text-slate-600">
							Gold answer:{' '}
							{describeDecision({ ranking: item.gold.ranking, bothBad: false, strength: null }, labels, pairwise)}
						</p>
					) : null}
					{adjudications.length ? (
						<div className="space-y-2">
							<h3 className="text-sm font-semibold text-slate-700">Adjudications</h3>
							<ul className="space-y-2 text-sm">
								{adjudications.map((entry) => (
									<li key={entry.id} className="rounded-md bg-slate-50 px-3 py-2">
										<p>
											<span className="font-medium">{describeDecision(entry, labels, pairwise)}</span>{' '}
											<span className="text-slate-500">
												by {entry.reviewer},{' '}
												<time dateTime={entry.createdAt}>{entry.createdAt.slice(0, 16).replace('T', ' ')} UTC</time>
											</span>
										</p>
										<p className="whitespace-pre-wrap text-slate-700" dir="auto">
											{entry.note}
										</p>
									</li>
								))}
							</ul>
						</div>
					) : null}
				</section>
				{canAdjudicate && (view.pairs === null || view.pair !== null) ? (
					<AdjudicationForm
						key={`${pairKey ?? ''}:${adjudications[0]?.id ?? 'none'}`}
						view={view}
						errors={result?.errors ?? null}
					/>
				) : (
					<p className="card text-sm text-slate-600">
						{item.isGold
							? 'Gold items have a known answer and are not adjudicated.'
							: 'Only the project’s reviewers and admins record decisions.'}
					</p>
				)}
			</div>
		</main>
	)
}
