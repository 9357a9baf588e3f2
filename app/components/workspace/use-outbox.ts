import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { useRouteLoaderData } from 'react-router'
import { Outbox, type OutboxEntry, type OutboxSnapshot } from './outbox.ts'
import type { Progress, WorkspaceState } from './types.ts'

export type OutboxView = OutboxSnapshot & {
	online: boolean
	/** Judgments not yet acknowledged. */
	waiting: OutboxEntry[]
	/** Offline, or some waiting judgment already failed: no new item is claimed until they are sent. */
	blocked: boolean
	enqueue: (entry: Parameters<Outbox['enqueue']>[0]) => Promise<void>
	retry: () => void
	dismiss: (key: string) => void
}

/**
 * The workspace's outbox for the signed-in user: drains what earlier pages left on load, retries on
 * its own backoff, and at once when the browser comes back online.
 */
export function useOutbox({
	userId,
	onAcknowledged,
	onSettled,
}: {
	userId: string
	onAcknowledged: (entry: OutboxEntry, body: unknown) => void
	onSettled: (entry: OutboxEntry) => void
}): OutboxView {
	const [snapshot, setSnapshot] = useState<OutboxSnapshot>({
		entries: [],
		sending: false,
		loaded: false,
		acknowledged: 0,
	})
	const online = useSyncExternalStore(
		subscribeToOnline,
		() => navigator.onLine,
		() => true,
	)
	const outbox = useRef<Outbox | null>(null)
	const callbacks = useRef({ onAcknowledged, onSettled })
	useEffect(() => {
		callbacks.current = { onAcknowledged, onSettled }
	})

	useEffect(() => {
		const box = new Outbox({
			userId,
			onChange: setSnapshot,
			onAcknowledged: (entry, body) => callbacks.current.onAcknowledged(entry, body),
			onSettled: (entry) => callbacks.current.onSettled(entry),
		})
		outbox.current = box
		void box.start()
		const wentOnline = () => void box.retryNow()
		window.addEventListener('online', wentOnline)
		return () => {
			box.stop()
			window.removeEventListener('online', wentOnline)
		}
	}, [userId])

	const enqueue = useCallback(async (entry: Parameters<Outbox['enqueue']>[0]) => {
		await outbox.current?.enqueue(entry)
	}, [])
	const retry = useCallback(() => void outbox.current?.retryNow(), [])
	const dismiss = useCallback((key: string) => void outbox.current?.dismiss(key), [])

	const waiting = snapshot.entries.filter((entry) => entry.state === 'pending')
	const blocked = !online || waiting.some((entry) => entry.attempts > 0)
	return { ...snapshot, online, waiting, blocked, enqueue, retry, dismiss }
}

export type SubmitResult = {
	judgmentId: string
	replay: boolean
	work: WorkspaceState | null
	progress: Progress | null
}

/**
 * The outbox as the annotate page uses it. `onSaved` learns whether the acknowledged judgment was
 * for the item on screen (then the answer's next item replaces it); `onGone` that the server
 * refused the one on screen for good.
 */
export function useJudgmentOutbox({
	slug,
	leaseId,
	onSaved,
	onGone,
}: {
	slug: string
	leaseId: string | null
	onSaved: (result: SubmitResult, current: boolean) => void
	onGone: () => void
}) {
	const root = useRouteLoaderData('root') as { user?: { id: string } | null } | undefined
	const outbox = useOutbox({
		userId: root?.user?.id ?? 'anonymous',
		onAcknowledged: (entry, body) => {
			if (entry.slug === slug) onSaved(body as SubmitResult, leaseId === null || entry.leaseId === leaseId)
		},
		onSettled: (entry) => {
			if (entry.slug === slug && entry.leaseId === leaseId) onGone()
		},
	})
	const held = outbox.waiting.some((entry) => entry.leaseId === leaseId)
	const submit = (input: { leaseId: string; judgment: { idempotencyKey: string }; label: string }) =>
		outbox.enqueue({
			key: input.judgment.idempotencyKey,
			slug,
			leaseId: input.leaseId,
			label: input.label,
			url: `/projects/${slug}/annotate/submit`,
			body: { leaseId: input.leaseId, judgment: input.judgment },
		})
	return { ...outbox, held, submit }
}

function subscribeToOnline(onChange: () => void) {
	window.addEventListener('online', onChange)
	window.addEventListener('offline', onChange)
	return () => {
		window.removeEventListener('online', onChange)
		window.removeEventListener('offline', onChange)
	}
}
