import 'fake-indexeddb/auto'
import { createStore, get, keys } from 'idb-keyval'
import { beforeEach, describe, expect, test } from 'vitest'
import { backoffMs, Outbox, parseRetryAfter, type OutboxEntry, type OutboxOptions, type OutboxTimer } from './outbox.ts'

type Call = { url: string; body: { leaseId: string; judgment: { idempotencyKey: string } } }

/** A clock and a timer the test moves by hand: no real waiting. */
function manualTime(start = 1_000_000) {
	let now = start
	const pending: { run: () => void; at: number; handle: number }[] = []
	let next = 0
	const timer: OutboxTimer = {
		set: (run, ms) => {
			pending.push({ run, at: now + ms, handle: ++next })
			return next
		},
		clear: (handle) => {
			const index = pending.findIndex((p) => p.handle === handle)
			if (index >= 0) pending.splice(index, 1)
		},
	}
	return {
		timer,
		now: () => now,
		/** When the outbox asked to be woken up next, relative to now. */
		nextDelay: () => (pending.length ? Math.min(...pending.map((p) => p.at)) - now : null),
		/** Moves the clock to the next timer and runs it. */
		fire() {
			pending.sort((a, b) => a.at - b.at)
			const first = pending.shift()
			if (!first) throw new Error('no timer scheduled')
			now = Math.max(now, first.at)
			first.run()
		},
	}
}

let dbCounter = 0
let store: ReturnType<typeof createStore>
beforeEach(() => {
	store = createStore(`outbox-test-${++dbCounter}`, 'judgments')
})

function judgment(key: string, leaseId = `lease-${key}`) {
	return {
		key,
		slug: 'demo',
		leaseId,
		label: `item ${key}`,
		url: '/projects/demo/annotate/submit',
		body: { leaseId, judgment: { idempotencyKey: key, ranking: [['r1'], ['r2']] } },
	}
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
	new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })

function makeOutbox(
	answer: (call: Call, index: number) => Response | Promise<Response>,
	extra: Partial<OutboxOptions> = {},
) {
	const time = manualTime()
	const calls: Call[] = []
	const acknowledged: unknown[] = []
	const outbox = new Outbox({
		userId: 'user-1',
		store,
		now: time.now,
		timer: time.timer,
		random: () => 0.5,
		fetch: async (url, init) => {
			const call = { url: String(url), body: JSON.parse(String(init?.body)) as Call['body'] }
			calls.push(call)
			return answer(call, calls.length - 1)
		},
		onAcknowledged: (_entry, body) => acknowledged.push(body),
		...extra,
	})
	return { outbox, time, calls, acknowledged }
}

const stored = (key: string) => get<OutboxEntry>(key, store)

describe('the judgment outbox', () => {
	test('stores the judgment in IndexedDB before sending it, and removes it on 201', async () => {
		const seenStored: (OutboxEntry | undefined)[] = []
		const { outbox, calls, acknowledged } = makeOutbox(async (call) => {
			seenStored.push(await stored(call.body.judgment.idempotencyKey))
			return json(201, { judgmentId: 'j1', replay: false })
		})
		await outbox.start()
		await outbox.enqueue(judgment('k1'))
		await outbox.flush()
		expect(calls).toHaveLength(1)
		expect(seenStored[0]).toMatchObject({ key: 'k1', state: 'pending', leaseId: 'lease-k1' })
		expect(acknowledged).toEqual([{ judgmentId: 'j1', replay: false }])
		expect(await keys(store)).toEqual([])
		expect(outbox.snapshot()).toMatchObject({ entries: [], acknowledged: 1 })
	})

	test('a 200 replay also counts as acknowledged', async () => {
		const { outbox } = makeOutbox(() => json(200, { judgmentId: 'j1', replay: true }))
		await outbox.enqueue(judgment('k1'))
		await outbox.flush()
		expect(await keys(store)).toEqual([])
	})

	test('retries a 503 and a network error with the same idempotency key until acknowledged', async () => {
		const { outbox, time, calls, acknowledged } = makeOutbox((_call, index) => {
			if (index === 0) return json(503, { title: 'Service unavailable' })
			if (index === 1) throw new TypeError('Failed to fetch')
			return json(201, { judgmentId: 'j1' })
		})
		await outbox.enqueue(judgment('k1'))
		await outbox.flush()
		expect(await stored('k1')).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 503' })
		time.fire()
		await outbox.flush()
		expect(await stored('k1')).toMatchObject({ state: 'pending', attempts: 2, lastError: 'network' })
		time.fire()
		await outbox.flush()
		expect(calls.map((c) => c.body.judgment.idempotencyKey)).toEqual(['k1', 'k1', 'k1'])
		expect(acknowledged).toHaveLength(1)
		expect(await keys(store)).toEqual([])
	})

	test('also retries 502, 429 and an expired session, but not a rejected judgment', async () => {
		const { outbox } = makeOutbox((call) => {
			const key = call.body.judgment.idempotencyKey
			if (key === 'bad-gateway') return new Response('<html>Bad gateway</html>', { status: 502 })
			if (key === 'limited') return json(429, { detail: 'slow down' })
			if (key === 'logged-out') return json(401, { detail: 'session expired' })
			return json(422, { detail: 'The judgment does not fit this project' })
		})
		for (const key of ['bad-gateway', 'limited', 'logged-out', 'invalid']) await outbox.enqueue(judgment(key))
		await outbox.flush()
		expect(await stored('bad-gateway')).toMatchObject({ state: 'pending', lastError: 'HTTP 502' })
		expect(await stored('limited')).toMatchObject({ state: 'pending', lastError: 'HTTP 429' })
		expect(await stored('logged-out')).toMatchObject({ state: 'pending', lastError: 'session_expired' })
		expect(await stored('invalid')).toMatchObject({
			state: 'refused',
			lastError: 'The judgment does not fit this project',
		})
	})

	test('a 409 item_complete keeps the judgment as not needed, stops retrying, and can be dismissed', async () => {
		const settled: string[] = []
		const { outbox, time, calls } = makeOutbox(
			() =>
				json(409, {
					reason: 'item_complete',
					detail: 'Your lease expired and this item already has all the judgments it needs',
				}),
			{
				onSettled: (entry) => settled.push(entry.state),
			},
		)
		await outbox.enqueue(judgment('k1'))
		await outbox.flush()
		expect(await stored('k1')).toMatchObject({
			state: 'not_needed',
			lastError: expect.stringContaining('all the judgments'),
		})
		expect(settled).toEqual(['not_needed'])
		expect(time.nextDelay()).toBeNull()
		await outbox.retryNow()
		expect(calls).toHaveLength(1)
		await outbox.dismiss('k1')
		expect(await keys(store)).toEqual([])
		expect(outbox.snapshot().entries).toEqual([])
	})

	test('a pending judgment survives a reload and is sent by the next page, with the same key', async () => {
		const first = makeOutbox(() => {
			throw new TypeError('offline')
		})
		await first.outbox.start()
		await first.outbox.enqueue(judgment('k1'))
		await first.outbox.flush()
		first.outbox.stop()
		expect(await stored('k1')).toMatchObject({ state: 'pending', attempts: 1 })

		const second = makeOutbox(() => json(201, { judgmentId: 'j1' }))
		await second.outbox.start()
		expect(second.calls.map((c) => c.body)).toEqual([
			{ leaseId: 'lease-k1', judgment: { idempotencyKey: 'k1', ranking: [['r1'], ['r2']] } },
		])
		expect(second.acknowledged).toHaveLength(1)
		expect(await keys(store)).toEqual([])
	})

	test('another user on the same browser does not send the first user’s judgments', async () => {
		const first = makeOutbox(() => json(503, {}))
		await first.outbox.enqueue(judgment('k1'))
		await first.outbox.flush()
		first.outbox.stop()
		const other = makeOutbox(() => json(201, {}), { userId: 'user-2' })
		await other.outbox.start()
		expect(other.calls).toEqual([])
		expect(await keys(store)).toEqual(['k1'])
	})

	test('backs off exponentially and honours Retry-After', async () => {
		const { outbox, time } = makeOutbox((_call, index) =>
			index === 2 ? json(503, {}, { 'Retry-After': '120' }) : json(503, {}),
		)
		await outbox.enqueue(judgment('k1'))
		await outbox.flush()
		// random() is 0.5: half the ceiling plus a quarter of it.
		expect(time.nextDelay()).toBe(750)
		time.fire()
		await outbox.flush()
		expect(time.nextDelay()).toBe(1500)
		time.fire()
		await outbox.flush()
		expect(time.nextDelay()).toBe(120_000)
	})

	test('the retry button sends at once, whatever the backoff said', async () => {
		let fail = true
		const { outbox, time, calls } = makeOutbox(() =>
			fail ? json(503, {}, { 'Retry-After': '600' }) : json(201, { judgmentId: 'j1' }),
		)
		await outbox.enqueue(judgment('k1'))
		await outbox.flush()
		expect(time.nextDelay()).toBe(600_000)
		fail = false
		await outbox.retryNow()
		expect(calls).toHaveLength(2)
		expect(await keys(store)).toEqual([])
		expect(time.nextDelay()).toBeNull()
	})
})

describe('backoff', () => {
	test('doubles up to a minute, with jitter between half and all of the ceiling', () => {
		expect(backoffMs(1, () => 0)).toBe(500)
		expect(backoffMs(1, () => 1)).toBe(1000)
		expect(backoffMs(3, () => 1)).toBe(4000)
		expect(backoffMs(20, () => 1)).toBe(60_000)
		expect(backoffMs(1, () => 0, 30_000)).toBe(30_000)
	})

	test('Retry-After in seconds or as a date', () => {
		const now = Date.parse('2026-12-07T12:00:00Z')
		expect(parseRetryAfter('5', now)).toBe(5000)
		expect(parseRetryAfter('Mon, 07 Dec 2026 12:00:30 GMT', now)).toBe(30_000)
		expect(parseRetryAfter('soon', now)).toBeNull()
		expect(parseRetryAfter(null, now)).toBeNull()
	})
})
