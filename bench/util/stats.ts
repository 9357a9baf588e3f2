/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number) {
	if (samples.length === 0) return Number.NaN
	const sorted = [...samples].sort((a, b) => a - b)
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
	return sorted[rank]!
}

export function median(samples: readonly number[]) {
	if (samples.length === 0) return Number.NaN
	const sorted = [...samples].sort((a, b) => a - b)
	const mid = Math.floor(sorted.length / 2)
	return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Rounds for reporting: 3 significant digits for small numbers, whole numbers for large ones. */
export function round(value: number, digits = 3): number {
	if (!Number.isFinite(value)) return value
	if (Math.abs(value) >= 100) return Math.round(value)
	const factor = 10 ** Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(value) || 1)))
	return Math.round(value * factor) / factor
}

export function latencySummary(samples: readonly number[]) {
	return { count: samples.length, p50Ms: round(percentile(samples, 50)), p99Ms: round(percentile(samples, 99)) }
}

export const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9
export const millis = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e6
