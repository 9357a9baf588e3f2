/**
 * Quantile with linear interpolation between order statistics (Hyndman & Fan type 7, the
 * default of numpy, pandas and R). NaN values are ignored; an empty input gives NaN.
 */
export function quantile(values: ArrayLike<number>, q: number): number {
	if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`)
	const sorted = sortedFinite(values)
	return quantileOfSorted(sorted, q)
}

export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
	const n = sorted.length
	if (n === 0) return Number.NaN
	const h = (n - 1) * q
	const lo = Math.floor(h)
	const hi = Math.min(lo + 1, n - 1)
	const a = sorted[lo] as number
	const b = sorted[hi] as number
	return a + (h - lo) * (b - a)
}

export function median(values: ArrayLike<number>): number {
	return quantile(values, 0.5)
}

export function sortedFinite(values: ArrayLike<number>): Float64Array {
	let count = 0
	for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) count++
	const out = new Float64Array(count)
	let j = 0
	for (let i = 0; i < values.length; i++) {
		const v = values[i] as number
		if (!Number.isNaN(v)) out[j++] = v
	}
	return out.sort()
}
