import type { OutboxView } from './use-outbox.ts'

const plural = (n: number) => `${n} judgment${n === 1 ? '' : 's'}`

/** One line in the header: saved, sending…, or offline with what is waiting. */
export function OutboxStatus({ outbox }: { outbox: OutboxView }) {
	const count = outbox.waiting.length
	let text: string | null = null
	if (count > 0 && outbox.blocked)
		text = `${outbox.online ? 'Cannot reach the server' : 'Offline'}: ${plural(count)} waiting`
	else if (outbox.sending || count > 0) text = 'Sending…'
	else if (!outbox.online) text = 'Offline: what you submit is kept on this device'
	else if (outbox.acknowledged > 0) text = 'All judgments saved'
	return (
		<div aria-live="polite" data-testid="outbox-status" className="flex items-center gap-2 text-sm">
			{text ? (
				<span className={count > 0 && outbox.blocked ? 'font-medium text-amber-800' : 'text-slate-600'}>{text}</span>
			) : null}
			{count > 0 && outbox.blocked ? (
				<button type="button" className="btn-secondary py-0.5" onClick={outbox.retry} disabled={outbox.sending}>
					Retry now
				</button>
			) : null}
		</div>
	)
}

/** Shown instead of the next item while judgments wait: says why no new item is claimed. */
export function OutboxWaiting({ outbox }: { outbox: OutboxView }) {
	const count = outbox.waiting.length
	const why = outbox.waiting.some((entry) => entry.lastError === 'session_expired')
		? 'Your session has expired: log in again in another tab and they are sent.'
		: outbox.online
			? 'The server cannot be reached right now.'
			: 'This browser is offline.'
	return (
		<section className="card mx-auto mt-10 max-w-xl text-center" aria-labelledby="outbox-waiting-heading">
			<h2 id="outbox-waiting-heading" className="text-xl font-semibold">
				{count === 0 ? 'Offline' : `${plural(count)} waiting to be sent`}
			</h2>
			<p className="mt-2 text-slate-600">
				{why}{' '}
				{count === 0
					? 'No new item is claimed until the connection is back.'
					: 'They are kept on this device, even if you close the tab, and sent as soon as possible. No new item is claimed until they are sent.'}
			</p>
			<div className="mt-6 flex justify-center">
				<button type="button" className="btn-primary" onClick={outbox.retry} disabled={outbox.sending}>
					{outbox.sending ? 'Sending…' : 'Retry now'}
				</button>
			</div>
		</section>
	)
}

/** Judgments the server did not take: kept and shown until the annotator dismisses them. */
export function OutboxSettled({ outbox }: { outbox: OutboxView }) {
	const settled = outbox.entries.filter((entry) => entry.state !== 'pending')
	if (settled.length === 0) return null
	return (
		<ul className="mb-3 space-y-2" aria-label="Judgments not saved">
			{settled.map((entry) => (
				<li
					key={entry.key}
					className="flex items-start gap-3 rounded-md border border-slate-300 bg-slate-50 px-4 py-2 text-sm"
				>
					<span className="flex-1">
						<strong>{entry.state === 'not_needed' ? 'Not needed' : 'Not saved'}:</strong> {entry.label}.{' '}
						{entry.lastError}
					</span>
					<button type="button" className="btn-secondary py-0.5" onClick={() => outbox.dismiss(entry.key)}>
						Dismiss
					</button>
				</li>
			))}
		</ul>
	)
}
