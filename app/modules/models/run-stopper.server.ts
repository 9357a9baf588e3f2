import { setMaxListeners } from 'node:events'
import { sql } from '#app/utils/db.server.ts'

/**
 * One abort signal for every model call of a run: it fires when the worker shuts down (`signal`)
 * or when someone cancels the run, which is polled from its row every `pollMs`.
 */
export function runStopper({
	runsTable,
	runId,
	signal,
	pollMs,
}: {
	runsTable: 'generation_runs' | 'judge_runs'
	runId: string
	signal?: AbortSignal
	pollMs: number
}) {
	const stop = new AbortController()
	// Every call in flight listens to this one signal.
	setMaxListeners(0, stop.signal)
	const onAbort = () => stop.abort()
	signal?.addEventListener('abort', onAbort, { once: true })
	let cancelled = false
	const watcher = setInterval(() => {
		void sql<{ status: string }>({
			text: `SELECT status::text FROM ${runsTable} WHERE id = $1::uuid`,
			values: [runId],
		})
			.then(([row]) => {
				if (row?.status === 'cancelled') {
					cancelled = true
					stop.abort()
				}
			})
			.catch(() => {})
	}, pollMs)
	watcher.unref?.()
	return {
		signal: stop.signal,
		get cancelled() {
			return cancelled
		},
		dispose() {
			clearInterval(watcher)
			signal?.removeEventListener('abort', onAbort)
		},
	}
}
