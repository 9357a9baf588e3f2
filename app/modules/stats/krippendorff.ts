import {
	CoincidenceAccumulator,
	compareCategories,
	feedColumnar,
	feedObserverMatrix,
	feedUnits,
	valueDelta2,
	type RatingValue,
	type ValueCheck,
} from './coincidences.ts'

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio'
export const ALPHA_LEVELS: readonly AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio']

export interface KrippendorffAlphaResult {
	/** NaN when undefined: no pairable values, or no variation at all (expected disagreement 0). */
	alpha: number
	level: AlphaLevel
	/** Units with at least two values; the others are dropped. */
	units: number
	/** n: the number of values in those units. */
	pairableValues: number
	observedDisagreement: number
	expectedDisagreement: number
}

function checkFor(level: AlphaLevel): ValueCheck {
	if (level === 'nominal') return 'any'
	if (level === 'ratio') return 'non-negative'
	return 'numeric'
}

function accumulatorFor(level: AlphaLevel): CoincidenceAccumulator {
	if (!ALPHA_LEVELS.includes(level)) throw new RangeError(`unknown level ${JSON.stringify(level)}`)
	return new CoincidenceAccumulator({ check: checkFor(level), metric: level === 'ordinal' ? null : level })
}

/** Krippendorff's alpha from an observers x units matrix (null for a missing value). */
export function krippendorffAlpha({
	data,
	level,
}: {
	data: readonly (readonly RatingValue[])[]
	level: AlphaLevel
}): KrippendorffAlphaResult {
	const acc = accumulatorFor(level)
	feedObserverMatrix(acc, data)
	return alphaFromCoincidences(acc, level)
}

/**
 * Krippendorff's alpha from per-unit value lists (any observers; only the multiset of values in
 * a unit matters). Streams: memory grows with the number of distinct values, not with units.
 */
export function krippendorffAlphaFromUnits({
	units,
	level,
}: {
	units: Iterable<ArrayLike<RatingValue>>
	level: AlphaLevel
}): KrippendorffAlphaResult {
	const acc = accumulatorFor(level)
	feedUnits(acc, units)
	return alphaFromCoincidences(acc, level)
}

/**
 * Krippendorff's alpha from columnar (unit, value) pairs, e.g. one row per judgment. NaN in
 * `values` means missing. Unit ids are non-negative integers and need not be sorted; when a
 * unit's entries are not contiguous, one Int32Array permutation of the input is built.
 */
export function krippendorffAlphaColumnar({
	unitIndex,
	values,
	level,
}: {
	unitIndex: ArrayLike<number>
	values: ArrayLike<number>
	level: AlphaLevel
}): KrippendorffAlphaResult {
	const acc = accumulatorFor(level)
	feedColumnar(acc, unitIndex, values)
	return alphaFromCoincidences(acc, level)
}

/** The coincidence matrix with its categories in ascending order (numbers before strings). */
export function coincidenceMatrix({ data }: { data: readonly (readonly RatingValue[])[] }): {
	categories: (number | string)[]
	matrix: Float64Array
} {
	const acc = new CoincidenceAccumulator()
	feedObserverMatrix(acc, data)
	const v = acc.categories.length
	const order = sortedCategoryOrder(acc.categories)
	const raw = acc.toDense()
	const matrix = new Float64Array(v * v)
	for (let i = 0; i < v; i++) {
		for (let j = 0; j < v; j++) matrix[i * v + j] = raw[(order[i] as number) * v + (order[j] as number)] as number
	}
	return { categories: Array.from(order, (c) => acc.categories[c] as number | string), matrix }
}

function sortedCategoryOrder(categories: readonly (number | string)[]): Int32Array {
	const order = Int32Array.from(categories.keys())
	return order.sort((x, y) => compareCategories(categories[x] as number | string, categories[y] as number | string))
}

/**
 * alpha = 1 - D_o / D_e with D_o = sum_ck o_ck delta2_ck / n and
 * D_e = sum_ck n_c n_k delta2_ck / (n (n - 1)).
 * Ordinal distance (Krippendorff 2011): delta_ck = sum_{g=c..k} n_g - (n_c + n_k) / 2 over the
 * values present, which equals M_k - M_c with M_g = (count of values below g) + n_g / 2. So the
 * ordinal metric is the interval metric on M, and for both D_e reduces to a variance, O(V).
 * Nominal D_e is O(V) too; ratio D_e has no such form and costs O(V^2) in distinct values.
 */
function alphaFromCoincidences(acc: CoincidenceAccumulator, level: AlphaLevel): KrippendorffAlphaResult {
	const marg = acc.marginals()
	const v = marg.length
	let n = 0
	for (let c = 0; c < v; c++) n += marg[c] as number
	const empty = {
		alpha: Number.NaN,
		level,
		units: acc.units,
		pairableValues: n,
		observedDisagreement: Number.NaN,
		expectedDisagreement: Number.NaN,
	}
	if (acc.units === 0 || n < 2) return empty

	const x = new Float64Array(v)
	if (level === 'interval' || level === 'ratio') {
		for (let c = 0; c < v; c++) x[c] = acc.categories[c] as number
	} else if (level === 'ordinal') {
		const order = sortedCategoryOrder(acc.categories)
		let below = 0
		for (const c of order) {
			const nc = marg[c] as number
			x[c] = below + nc / 2
			below += nc
		}
	}

	const values = acc.categories
	const observed =
		level === 'ordinal'
			? acc.weightedDisagreement((c, k) => ((x[c] as number) - (x[k] as number)) ** 2) / n
			: acc.weightedDisagreement((c, k) =>
					valueDelta2(level, values[c] as number | string, values[k] as number | string),
				) / n

	let expected = 0
	if (level === 'nominal') {
		let sumSq = 0
		for (let c = 0; c < v; c++) sumSq += (marg[c] as number) ** 2
		expected = (n * n - sumSq) / (n * (n - 1))
	} else if (level === 'ratio') {
		// O(V^2): the ratio distance has no closed form over the marginals.
		for (let c = 0; c < v; c++) {
			const nc = marg[c] as number
			if (nc === 0) continue
			const xc = x[c] as number
			let row = 0
			for (let k = c + 1; k < v; k++) {
				const xk = x[k] as number
				const s = xc + xk
				if (s === 0) continue
				const r = (xc - xk) / s
				row += (marg[k] as number) * r * r
			}
			expected += 2 * nc * row
		}
		expected /= n * (n - 1)
	} else {
		let mean = 0
		for (let c = 0; c < v; c++) mean += (marg[c] as number) * (x[c] as number)
		mean /= n
		let ss = 0
		for (let c = 0; c < v; c++) ss += (marg[c] as number) * ((x[c] as number) - mean) ** 2
		expected = (2 * ss) / (n - 1)
	}

	const alpha = expected === 0 ? Number.NaN : 1 - observed / expected
	return {
		alpha,
		level,
		units: acc.units,
		pairableValues: n,
		observedDisagreement: observed,
		expectedDisagreement: expected,
	}
}
