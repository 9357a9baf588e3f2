import { createStore, del, set, values, type UseStore } from 'idb-keyval'

/**
 * A judgment waiting to reach the server. It is written to IndexedDB before the first attempt and
 * leaves only when the server acknowledged it, so a dropped connection, a reload or a closed
 * browser cannot lose it. Every attempt carries the same idempotency key, so a request that did
 * reach the server but whose answer was lost is a harmless replay.
 */
export type OutboxEntry = {
	key: string
	userId: string
	slug: string
	leaseId: string
	label: string
	url: string
	body: unknown
	/** `not_needed`: the lease expired and the item filled up meanwhile. `refused`: the server said no for another reason. */
	state: 'pending' | 'not_needed' | 'refused'
	attempts: number
	nextAttemptAt: number
	lastError: string | null
	createdAt: number
}

export type OutboxSnapshot = { entries: OutboxEntry[]; sending: boolean; loaded: boolean; acknowledged: number }

export type OutboxTimer = { set: (run: () => void, ms: number) => unknown; clear: (handle: unknown) => void }

export type OutboxOptions = {
	userId: string
	store?: UseStore
	fetch?: typeof fetch
	now?: () => number
	random?: () => number
	timer?: OutboxTimer
	onChange?: (snapshot: OutboxSnapshot) => void
	onAcknowledged?: (entry: OutboxEntry, body: unknown) => void
	onSettled?: (entry: OutboxEntry) => void
}

const BASE_MS = 1000
const MAX_MS = 60_000
const MAX_RETRY_AFTER_MS = 3600_000

export const openOutboxStore = () => createStore('quorum-outbox', 'judgments')

/** Exponential backoff with jitter (half fixed, half random), never sooner than the server asked. */
export function backoffMs(attempt: number, random: () => number, retryAfterMs: number | null = null) {
	const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, attempt - 1))
	return Math.max(ceiling / 2 + (random() * ceiling) / 2, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS))
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
	if (!value) return null
	if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
	const at = Date.parse(value)
	return Number.isNaN(at) ? null : Math.max(0, at - now)
}

const retryable = (status: number) =>
	status === 401 || status === 408 || status === 425 || status === 429 || status >= 500

export class Outbox {
	private entries = new Map<string, OutboxEntry>()
	private store: UseStore
	private fetch: typeof fetch
	private now: () => number
	private random: () => number
	private timer: OutboxTimer
	private handle: unknown = null
	private flushing: Promise<void> | null = null
	private again = false
	private stopped = false
	private sending = false
	private loaded = false
	private acknowledged = 0

	constructor(private options: OutboxOptions) {
		this.store = options.store ?? openOutboxStore()
		this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
		this.now = options.now ?? Date.now
		this.random = options.random ?? Math.random
		this.timer = options.timer ?? {
			set: (run, ms) => setTimeout(run, ms),
			clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
		}
	}

	/** Loads what an earlier page left behind and sends it now, whatever its backoff said. */
	async start() {
		try {
			const stored = (await values<OutboxEntry>(this.store)).filter((entry) => entry.userId === this.options.userId)
			for (const entry of stored)
				if (!this.entries.has(entry.key)) this.entries.set(entry.key, { ...entry, nextAttemptAt: this.now() })
		} catch {
			// IndexedDB unavailable (disabled, private mode): the outbox still works for this page.
		}
		this.loaded = true
		this.emit()
		await this.flush()
	}

	stop() {
		this.stopped = true
		if (this.handle !== null) this.timer.clear(this.handle)
		this.handle = null
	}

	snapshot(): OutboxSnapshot {
		const entries = [...this.entries.values()].sort((a, b) => a.createdAt - b.createdAt)
		return { entries, sending: this.sending, loaded: this.loaded, acknowledged: this.acknowledged }
	}

	/** Stores the judgment first, then tries to send it. Resolves once it is stored. */
	async enqueue(input: Pick<OutboxEntry, 'key' | 'slug' | 'leaseId' | 'label' | 'url' | 'body'>) {
		const now = this.now()
		const entry: OutboxEntry = {
			...input,
			userId: this.options.userId,
			state: 'pending',
			attempts: 0,
			nextAttemptAt: now,
			lastError: null,
			createdAt: now,
		}
		this.entries.set(entry.key, entry)
		await this.persist(entry)
		this.emit()
		void this.flush()
	}

	/** Sends every waiting judgment now (the retry button, the browser coming back online). */
	retryNow() {
		const now = this.now()
		for (const entry of this.entries.values()) if (entry.state === 'pending') entry.nextAttemptAt = now
		return this.flush()
	}

	/** Forgets a judgment the server did not take; one still pending cannot be dismissed. */
	async dismiss(key: string) {
		const entry = this.entries.get(key)
		if (!entry || entry.state === 'pending') return
		this.entries.delete(key)
		await this.forget(key)
		this.emit()
	}

	flush(): Promise<void> {
		if (this.flushing) {
			this.again = true
			return this.flushing
		}
		this.flushing = (async () => {
			do {
				this.again = false
				const due = this.snapshot().entries.filter(
					(entry) => entry.state === 'pending' && entry.nextAttemptAt <= this.now(),
				)
				for (const entry of due) {
					if (this.stopped) return
					await this.attempt(entry)
				}
			} while (this.again && !this.stopped)
		})().finally(() => {
			this.flushing = null
			this.schedule()
		})
		return this.flushing
	}

	private async attempt(entry: OutboxEntry) {
		this.sending = true
		this.emit()
		try {
			let response: Response
			try {
				response = await this.fetch(entry.url, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
					body: JSON.stringify(entry.body),
					credentials: 'same-origin',
				})
			} catch {
				return await this.failed(entry, 'network', null)
			}
			const body = (await response.json().catch(() => null)) as { reason?: string; detail?: string } | null
			if ((response.status === 200 || response.status === 201) && body) {
				this.entries.delete(entry.key)
				this.acknowledged++
				await this.forget(entry.key)
				this.options.onAcknowledged?.(entry, body)
			} else if (response.status === 409 && body?.reason === 'item_complete') {
				await this.settle(entry, 'not_needed', body.detail ?? 'The item already has all the judgments it needs')
			} else if (retryable(response.status) || !body) {
				await this.failed(
					entry,
					response.status === 401 ? 'session_expired' : `HTTP ${response.status}`,
					parseRetryAfter(response.headers.get('Retry-After'), this.now()),
				)
			} else {
				await this.settle(entry, 'refused', body.detail ?? `The server refused it (HTTP ${response.status})`)
			}
		} finally {
			this.sending = false
			this.emit()
		}
	}

	private async failed(entry: OutboxEntry, error: string, retryAfterMs: number | null) {
		entry.attempts++
		entry.lastError = error
		entry.nextAttemptAt = this.now() + backoffMs(entry.attempts, this.random, retryAfterMs)
		await this.persist(entry)
	}

	private async settle(entry: OutboxEntry, state: 'not_needed' | 'refused', message: string) {
		entry.state = state
		entry.lastError = message
		entry.attempts++
		await this.persist(entry)
		this.options.onSettled?.(entry)
	}

	private schedule() {
		if (this.handle !== null) this.timer.clear(this.handle)
		this.handle = null
		if (this.stopped) return
		const next = Math.min(
			...this.snapshot()
				.entries.filter((entry) => entry.state === 'pending')
				.map((entry) => entry.nextAttemptAt),
		)
		if (!Number.isFinite(next)) return
		this.handle = this.timer.set(
			() => {
				this.handle = null
				void this.flush()
			},
			Math.max(0, next - this.now()),
		)
	}

	private async persist(entry: OutboxEntry) {
		try {
			await set(entry.key, { ...entry }, this.store)
		} catch {
			// Kept in memory; see start().
		}
	}

	private async forget(key: string) {
		try {
			await del(key, this.store)
		} catch {
			// Nothing stored to forget.
		}
	}

	private emit() {
		this.options.onChange?.(this.snapshot())
	}
}
