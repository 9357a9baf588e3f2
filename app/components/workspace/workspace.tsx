import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Link, useFetcher, useNavigate, useRevalidator } from 'react-router'
import { judgedAsPair } from '#app/modules/projects/arena-settings.ts'
import { PairwiseControls } from './pairwise-controls.tsx'
import { RenderedHtml, ResponseCard, type DiffPart } from './response-card.tsx'
import { OutboxSettled, OutboxStatus, OutboxWaiting } from './outbox-status.tsx'
import { ResponseExtras } from './response-extras.tsx'
import { buildJudgment, clearLocalDraft, restoreSelection, type JudgmentPayload } from './selection.ts'
import {
	CHOICES,
	STRENGTHS,
	type AssignmentView,
	type Progress,
	type Selection,
	type WorkspaceActionResult,
	type WorkspaceProject,
	type WorkspaceState,
} from './types.ts'
import { useActiveTime } from './use-active-time.ts'
import { useDraftAutosave, useDraftSessionExpired } from './use-draft-autosave.ts'
import { useHotkeys } from './use-hotkeys.ts'
import { useHydrated } from './use-hydrated.ts'
import { useLeaseRenewal } from './use-lease-renewal.ts'
import { useJudgmentOutbox } from './use-outbox.ts'
import { applyActionResult, type WorkspaceView } from './workspace-view.ts'

const RankingControls = lazy(() => import('./ranking-controls.tsx'))

type Props = {
	project: WorkspaceProject
	guidelines: { version: number; html: string }
	work: WorkspaceState
	progress: Progress
	lastJudgmentId: string | null
}

export function Workspace(props: Props) {
	const { project, guidelines } = props
	const [showGuidelines, setShowGuidelines] = useState(false)
	const [showLegend, setShowLegend] = useState(true)
	const fetcher = useFetcher<WorkspaceActionResult>()
	const navigate = useNavigate()
	const actionUrl = `/projects/${project.slug}/annotate`

	// Each answer of the action is taken in once, while rendering; the next item replaces the
	// current one only on success, so a refusal leaves the item and its selection on screen.
	const [view, setView] = useState<WorkspaceView>({
		work: props.work,
		progress: props.progress,
		lastJudgmentId: props.lastJudgmentId,
		notice: null,
		sessionExpired: false,
		result: null,
	})
	const result = fetcher.state === 'idle' ? fetcher.data : undefined
	if (result && result !== view.result) setView(applyActionResult(view, result))
	const { work, progress, lastJudgmentId, notice } = view
	const draftSessionExpired = useDraftSessionExpired(work.state === 'ready' ? work.assignment.leaseId : null)
	const sessionExpired = view.sessionExpired || draftSessionExpired

	const claimNext = () =>
		fetcher.submit({ intent: 'next' }, { method: 'post', encType: 'application/json', action: actionUrl })
	// Judgments go through the outbox, which keeps them until the server acknowledges them.
	const outbox = useJudgmentOutbox({
		slug: project.slug,
		leaseId: work.state === 'ready' ? work.assignment.leaseId : null,
		onSaved: (result, current) => {
			setView((shown) => ({
				...shown,
				work: current && result.work ? result.work : shown.work,
				progress: result.progress ?? shown.progress,
				lastJudgmentId: result.judgmentId,
				notice: { tone: 'info', text: 'Saved. Press U to revise it.' },
			}))
			if (current && !result.work) void claimNext()
		},
		onGone: () => void claimNext(),
	})

	const send = useCallback(
		(body: Record<string, unknown>) => {
			if (body.intent === 'submit') {
				const label = work.state === 'ready' ? `Item ${work.assignment.item.externalId}` : 'A judgment'
				return void outbox.submit({
					leaseId: body.leaseId as string,
					judgment: body.judgment as { idempotencyKey: string },
					label,
				})
			}
			if (outbox.blocked) {
				const text = 'No new item is claimed while judgments wait to be sent or the browser is offline.'
				return setView((shown) => ({ ...shown, notice: { tone: 'error', text } }))
			}
			return fetcher.submit(body as never, { method: 'post', encType: 'application/json', action: actionUrl })
		},
		[fetcher, actionUrl, outbox, work],
	)

	const globalKeys = (event: KeyboardEvent) => {
		if (event.key === 'g') return (setShowGuidelines((open) => !open), true)
		if (event.key === '?') return (setShowLegend((open) => !open), true)
		if (event.key === 'u' && lastJudgmentId)
			return (navigate(`/projects/${project.slug}/annotate/judgments/${lastJudgmentId}`), true)
		if (event.key === 'Escape' && showGuidelines) return (setShowGuidelines(false), true)
		return false
	}

	return (
		<main className="mx-auto max-w-[1600px] px-4 py-4">
			<div className="mb-3 flex flex-wrap items-center gap-x-6 gap-y-2">
				<h1 className="text-lg font-semibold">{project.name}</h1>
				<ProgressBar progress={progress} />
				<OutboxStatus outbox={outbox} />
				<div className="ml-auto flex items-center gap-2 text-sm">
					<button type="button" className="btn-secondary" onClick={() => setShowGuidelines(true)} aria-keyshortcuts="g">
						Guidelines v{guidelines.version}
					</button>
					<Link className="btn-secondary" to={`/projects/${project.slug}/annotate/history`}>
						My history
					</Link>
				</div>
			</div>

			{sessionExpired ? (
				<div
					role="alert"
					className="mb-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
				>
					Your session has expired. Your selections are saved on this device.{' '}
					<a
						className="font-medium underline"
						href={`/login?redirectTo=${encodeURIComponent(actionUrl)}`}
						target="_blank"
						rel="noreferrer"
					>
						Log in again
					</a>{' '}
					(opens a new tab), then submit again.
				</div>
			) : null}
			{notice ? (
				<div
					role={notice.tone === 'error' ? 'alert' : 'status'}
					className={`mb-3 rounded-md px-4 py-2 text-sm ${notice.tone === 'error' ? 'bg-rose-50 text-rose-900' : 'bg-emerald-50 text-emerald-900'}`}
				>
					{notice.text}
					{notice.fieldErrors?.length ? (
						<ul className="mt-1 list-disc pl-5">
							{notice.fieldErrors.map((e) => (
								<li key={e.path + e.message}>
									<code>{e.path}</code>: {e.message}
								</li>
							))}
						</ul>
					) : null}
				</div>
			) : null}
			<OutboxSettled outbox={outbox} />

			{work.state === 'ready' && outbox.held && outbox.blocked ? (
				<OutboxWaiting outbox={outbox} />
			) : work.state === 'ready' ? (
				<ItemWorkspace
					key={work.assignment.leaseId}
					project={project}
					assignment={work.assignment}
					busy={fetcher.state !== 'idle' || outbox.held}
					send={send}
					globalKeys={globalKeys}
					showLegend={showLegend}
				/>
			) : (
				<EmptyState
					work={work}
					project={project}
					globalKeys={globalKeys}
					onRetry={() => send({ intent: 'next' })}
					busy={fetcher.state !== 'idle'}
				/>
			)}

			{showGuidelines ? (
				<div className="fixed inset-0 z-40 flex justify-end bg-slate-900/30" onClick={() => setShowGuidelines(false)}>
					<aside
						role="dialog"
						aria-modal="true"
						aria-labelledby="guidelines-title"
						className="h-full w-full max-w-2xl overflow-auto bg-white p-6 shadow-xl"
						onClick={(event) => event.stopPropagation()}
					>
						<div className="flex items-center justify-between">
							<h2 id="guidelines-title" className="text-lg font-semibold">
								Guidelines <span className="text-sm font-normal text-slate-500">version {guidelines.version}</span>
							</h2>
							<button type="button" className="btn-secondary" onClick={() => setShowGuidelines(false)} autoFocus>
								Close
							</button>
						</div>
						{guidelines.html ? (
							<RenderedHtml html={guidelines.html} className="mt-4" />
						) : (
							<p className="mt-4 text-slate-500">This project has no guidelines yet.</p>
						)}
					</aside>
				</div>
			) : null}
		</main>
	)
}

function ProgressBar({ progress }: { progress: Progress }) {
	const percent = progress.itemsTotal ? Math.round((progress.itemsComplete / progress.itemsTotal) * 100) : 0
	return (
		<div className="flex items-center gap-4 text-sm text-slate-600">
			<span>
				Today: <strong className="text-slate-900">{progress.today}</strong> · total{' '}
				<strong className="text-slate-900">{progress.mine}</strong>
			</span>
			<span className="flex items-center gap-2">
				<span className="sr-only">Project completion</span>
				<progress
					className="h-2 w-32 overflow-hidden rounded [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-indigo-500"
					value={progress.itemsComplete}
					max={Math.max(1, progress.itemsTotal)}
				/>
				{percent}% of {progress.itemsTotal.toLocaleString()} items complete
			</span>
		</div>
	)
}

function EmptyState({
	work,
	project,
	globalKeys,
	onRetry,
	busy,
}: {
	work: Exclude<WorkspaceState, { state: 'ready' }>
	project: WorkspaceProject
	globalKeys: (event: KeyboardEvent) => boolean
	onRetry: () => void
	busy: boolean
}) {
	const revalidator = useRevalidator()
	useHotkeys(globalKeys)
	useEffect(() => {
		if (work.state !== 'waiting') return
		const wait = work.retryAt
			? Math.min(Math.max(new Date(work.retryAt).getTime() - Date.now() + 1000, 5000), 60_000)
			: 15_000
		const timer = setTimeout(onRetry, wait)
		return () => clearTimeout(timer)
	}, [work, onRetry])
	const content = {
		done: {
			title: 'No work left for you',
			text: `You have judged every item of “${project.name}” that still needs you. Thank you!`,
		},
		waiting: {
			title: 'Waiting for others',
			text: 'The remaining items are being judged by other people right now. If someone abandons one, it comes back to you; this page checks again by itself.',
		},
		paused: { title: 'Project paused', text: 'message' in work ? work.message : '' },
		archived: { title: 'Project archived', text: 'message' in work ? work.message : '' },
		draft: { title: 'Not open yet', text: 'message' in work ? work.message : '' },
	}[work.state]
	return (
		<section className="card mx-auto mt-10 max-w-xl text-center" aria-live="polite">
			<h2 className="text-xl font-semibold">{content.title}</h2>
			<p className="mt-2 text-slate-600">{content.text}</p>
			<div className="mt-6 flex justify-center gap-3">
				<button
					type="button"
					className="btn-primary"
					onClick={() => (work.state === 'waiting' ? onRetry() : revalidator.revalidate())}
					disabled={busy}
				>
					Check again
				</button>
				<Link to="/projects" className="btn-secondary">
					All projects
				</Link>
			</div>
		</section>
	)
}

export function ItemWorkspace({
	project,
	assignment,
	busy,
	send,
	globalKeys,
	showLegend,
	editing,
}: {
	project: WorkspaceProject
	assignment: AssignmentView
	busy: boolean
	send: (body: Record<string, unknown>) => void
	globalKeys: (event: KeyboardEvent) => boolean
	showLegend: boolean
	/** Revising a stored judgment: no lease, no draft, no skip. */
	editing?: { selection: Selection; onSave: (judgment: JudgmentPayload) => void }
}) {
	const [selection, setSelection] = useState<Selection>(() => editing?.selection ?? restoreSelection(assignment))
	const [focusedId, setFocusedId] = useState<string | null>(null)
	const [diff, setDiff] = useState<DiffPart[] | null>(null)
	const [layout, setLayout] = useState<'columns' | 'stacked'>(judgedAsPair(project.taskType) ? 'columns' : 'stacked')
	const [hint, setHint] = useState<string | null>(null)
	const activeMs = useActiveTime(selection.activeMs)
	const rationaleRef = useRef<HTMLTextAreaElement>(null)
	const responses = assignment.item.responses
	const pairwise = judgedAsPair(project.taskType)
	const action = `/projects/${project.slug}/annotate`

	// Drafts live in localStorage, which the server render cannot read: restore again once
	// hydrated, and for each new assignment.
	const hydrated = useHydrated()
	const [restoredFor, setRestoredFor] = useState({ assignment, hydrated })
	if (restoredFor.assignment !== assignment || restoredFor.hydrated !== hydrated) {
		setRestoredFor({ assignment, hydrated })
		if (!editing) setSelection(restoreSelection(assignment))
	}

	const update = useCallback((change: Partial<Selection>) => setSelection((current) => ({ ...current, ...change })), [])

	useDraftAutosave({ action, leaseId: assignment.leaseId, selection, activeMs, enabled: hydrated && !editing })
	const lease = useLeaseRenewal({
		action,
		leaseId: assignment.leaseId,
		leaseSeconds: project.leaseSeconds,
		enabled: !editing,
	})
	const leaseNotice = lease.expired
		? 'Your hold on this item expired. You can still submit: it is accepted if the item still needs judgments.'
		: null

	const built = buildJudgment({ ...selection, activeMs: activeMs.current }, project, assignment)

	const submit = () => {
		if (busy) return
		if (!built.ok) {
			setHint(built.reason)
			return
		}
		if (editing) return editing.onSave(built.judgment)
		clearLocalDraft(assignment.leaseId)
		send({ intent: 'submit', leaseId: assignment.leaseId, judgment: built.judgment })
	}
	const skip = (reason?: string) => {
		if (busy || editing) return
		clearLocalDraft(assignment.leaseId)
		send({ intent: 'skip', leaseId: assignment.leaseId, reason })
	}
	const toggleDiff = async () => {
		if (diff) return setDiff(null)
		if (!pairwise) return
		const { diffWords } = await import('diff')
		setDiff(diffWords(responses[0]!.text, responses[1]!.text))
	}
	const moveFocused = (delta: number) => {
		if (!focusedId) return
		const from = selection.order.indexOf(focusedId)
		const to = from + delta
		if (to < 0 || to >= selection.order.length) return
		const order = [...selection.order]
		;[order[from], order[to]] = [order[to]!, order[from]!]
		update({ order })
	}

	useHotkeys((event) => {
		if (globalKeys(event)) return true
		const key = event.key.toLowerCase()
		if (event.key === 'Enter') return (submit(), true)
		if (key === 'x') return (skip(), true)
		if (key === 'd' && pairwise) return (void toggleDiff(), true)
		if (key === 'l') return (setLayout((l) => (l === 'columns' ? 'stacked' : 'columns')), true)
		if (pairwise) {
			const choice = CHOICES.find((c) => c.key === key)
			if (choice) return (update({ choice: choice.value }), setHint(null), true)
			const strength = STRENGTHS.find((s) => s.key === key)
			if (strength && project.strength) return (update({ strength: strength.value }), setHint(null), true)
		} else {
			const index = Number(key) - 1
			if (Number.isInteger(index) && index >= 0 && index < responses.length)
				return (setFocusedId(responses[index]!.id), true)
			if (key === '[' || event.key === 'ArrowUp') return (moveFocused(-1), !!focusedId)
			if (key === ']' || event.key === 'ArrowDown') return (moveFocused(1), !!focusedId)
			if (key === 'o') return (update({ orderConfirmed: true }), setHint(null), true)
			if (key === 't' && focusedId && selection.order.indexOf(focusedId) > 0) {
				const tied = selection.tiedWithPrevious.includes(focusedId)
				update({
					tiedWithPrevious: tied
						? selection.tiedWithPrevious.filter((id) => id !== focusedId)
						: [...selection.tiedWithPrevious, focusedId],
				})
				return true
			}
		}
		if (key === 'n' && project.rationale !== 'off') return (rationaleRef.current?.focus(), true)
		return false
	})

	const context = assignment.item.context
	const winner = selection.choice === 'A' ? responses[0]?.id : selection.choice === 'B' ? responses[1]?.id : null

	return (
		<div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_22rem]">
			<div className="min-w-0 space-y-4">
				<section aria-labelledby="context-heading" className="card">
					<h2 id="context-heading" className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
						{context.kind === 'prompt' ? 'Prompt' : 'Conversation'}
						<span className="ml-2 font-normal normal-case text-slate-600">item {assignment.item.externalId}</span>
					</h2>
					{context.kind === 'prompt' ? (
						<RenderedHtml html={context.html} />
					) : (
						<ol className="space-y-2">
							{context.messages.map((message, index) => (
								<li
									key={index}
									className={`rounded-md px-3 py-2 ${message.role === 'user' ? 'bg-indigo-50' : message.role === 'system' ? 'bg-amber-50' : 'bg-slate-50'}`}
								>
									<p className="mb-1 text-xs font-semibold uppercase text-slate-500">{message.role}</p>
									<RenderedHtml html={message.html} />
								</li>
							))}
						</ol>
					)}
				</section>
				<div
					className={
						layout === 'columns'
							? `grid gap-4 ${responses.length === 2 ? 'lg:grid-cols-2' : 'lg:grid-cols-2 2xl:grid-cols-4'}`
							: 'space-y-4'
					}
				>
					{responses.map((response, index) => (
						<ResponseCard
							key={response.id}
							response={response}
							highlighted={winner === response.id || focusedId === response.id}
							diff={diff}
							side={index === 0 ? 'left' : 'right'}
						>
							<ResponseExtras
								project={project}
								responseId={response.id}
								label={response.label}
								ratings={selection.criteria[response.id] ?? {}}
								flags={selection.flags[response.id] ?? []}
								onRate={(criterion, value) => {
									const ratings = { ...(selection.criteria[response.id] ?? {}) }
									if (value === null) delete ratings[criterion]
									else ratings[criterion] = value
									update({ criteria: { ...selection.criteria, [response.id]: ratings } })
								}}
								onFlag={(flag, on) => {
									const current = selection.flags[response.id] ?? []
									update({
										flags: {
											...selection.flags,
											[response.id]: on ? [...current, flag] : current.filter((f) => f !== flag),
										},
									})
								}}
							/>
						</ResponseCard>
					))}
				</div>
			</div>

			<aside className="space-y-4 xl:sticky xl:top-4 xl:self-start" aria-label="Your judgment">
				<section className="card space-y-4">
					{pairwise ? (
						<PairwiseControls
							selection={selection}
							askStrength={project.strength}
							onChange={update}
							diffShown={!!diff}
							onToggleDiff={() => void toggleDiff()}
						/>
					) : (
						<div>
							<h3 className="label">Rank the responses, best first</h3>
							<Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
								<RankingControls
									responses={responses}
									order={selection.order}
									tiedWithPrevious={selection.tiedWithPrevious}
									onChange={(next) => update(next)}
									focusedId={focusedId}
									onFocus={setFocusedId}
									confirmed={!!selection.orderConfirmed}
									onConfirm={() => (update({ orderConfirmed: true }), setHint(null))}
								/>
							</Suspense>
						</div>
					)}
					{project.rationale !== 'off' ? (
						<div>
							<label htmlFor="rationale" className="label">
								Rationale{' '}
								{project.rationale === 'required' ? (
									<span className="text-rose-700">(required)</span>
								) : (
									<span className="font-normal text-slate-500">(optional)</span>
								)}
							</label>
							<textarea
								id="rationale"
								ref={rationaleRef}
								rows={3}
								className="input"
								value={selection.rationale}
								onChange={(event) => update({ rationale: event.target.value })}
								onKeyDown={(event) => {
									if (event.key === 'Escape') event.currentTarget.blur()
								}}
								maxLength={20000}
							/>
						</div>
					) : null}
					{hint || leaseNotice ? (
						<p role="status" className="text-sm text-amber-800">
							{hint ?? leaseNotice}
						</p>
					) : null}
					<div className="flex gap-2">
						<button
							type="button"
							className="btn-primary flex-1"
							onClick={submit}
							disabled={busy || !built.ok}
							aria-keyshortcuts="Enter"
						>
							{busy ? 'Saving…' : editing ? 'Save revision' : 'Submit'}{' '}
							<kbd className="kbd bg-indigo-500 text-white">Enter</kbd>
						</button>
						{editing ? null : (
							<button
								type="button"
								className="btn-secondary"
								onClick={() => skip()}
								disabled={busy}
								aria-keyshortcuts="x"
							>
								Skip <kbd className="kbd">X</kbd>
							</button>
						)}
					</div>
					{!built.ok ? <p className="text-xs text-slate-500">{built.reason}.</p> : null}
				</section>
				{showLegend ? (
					<KeyLegend pairwise={pairwise} strength={project.strength} rationale={project.rationale !== 'off'} />
				) : null}
			</aside>
		</div>
	)
}

function KeyLegend({ pairwise, strength, rationale }: { pairwise: boolean; strength: boolean; rationale: boolean }) {
	const keys = useMemo(() => {
		const list: [string, string][] = pairwise
			? [
					['1 2 3 4', 'A better · B better · tie · both bad'],
					...(strength ? [['Q W E R', 'negligible · slight · clear · significant'] as [string, string]] : []),
					['D', 'word differences'],
				]
			: [
					['1–9', 'focus a response'],
					['[ ] or ↑ ↓', 'move it up or down'],
					['T', 'tie it with the one above'],
					['O', 'the shown order is my ranking'],
					['Space', 'on a handle: pick up, move, drop'],
				]
		list.push(
			['Enter', 'submit'],
			['X', 'skip'],
			['G', 'guidelines'],
			['U', 'revise your last submission'],
			['L', 'layout'],
		)
		if (rationale) list.push(['N', 'write a rationale (Esc leaves it)'])
		list.push(['?', 'hide this legend'])
		return list
	}, [pairwise, strength, rationale])
	return (
		<section className="card text-sm" aria-labelledby="keys-heading">
			<h3 id="keys-heading" className="mb-2 font-semibold">
				Keyboard
			</h3>
			<dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
				{keys.map(([key, what]) => (
					<div key={key} className="contents">
						<dt>
							<kbd className="kbd">{key}</kbd>
						</dt>
						<dd className="text-slate-600">{what}</dd>
					</div>
				))}
			</dl>
		</section>
	)
}
