/**
 * Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`
 * with the last value seen. For waiting on state another process changes; never a fixed sleep.
 */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, { timeoutMs = 30_000, intervalMs = 100, what = 'the condition' } = {}): Promise<T> {
	const deadline = Date.now() + timeoutMs
	let last: unknown
	for (;;) {
		const value = await check()
		if (value !== undefined && value !== false) return value
		last = value
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`)
		await new Promise((resolve) => setTimeout(resolve, intervalMs))
	}
}
