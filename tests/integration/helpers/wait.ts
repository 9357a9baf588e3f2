import { vi } from 'vitest'

/**
 * Resolves with `check`'s value once it is something other than undefined/false, or fails after
 * `timeoutMs` naming what was awaited and the last value seen. For state another process changes;
 * Vitest's `vi.waitFor` does the re-checking.
 */
export async function waitFor<T>(
	check: () => Promise<T | undefined | false>,
	{ timeoutMs = 30_000, intervalMs = 100, what = 'the condition' } = {},
): Promise<T> {
	let last: unknown
	try {
		return await vi.waitFor(
			async () => {
				const value = await check()
				last = value
				if (value === undefined || value === false) throw new Error(`still waiting for ${what}`)
				return value
			},
			{ timeout: timeoutMs, interval: intervalMs },
		)
	} catch (error) {
		const failure =
			error instanceof Error && !error.message.startsWith('still waiting') ? `; last error: ${error.message}` : ''
		throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)}${failure})`, {
			cause: error,
		})
	}
}
