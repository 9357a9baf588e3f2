import { compareCategories, type RatingValue } from './coincidences.ts'

export type KappaWeights = 'none' | 'linear' | 'quadratic'

/**
 * Cohen's kappa from a k x k contingency table (rows rater 1, columns rater 2), categories in
 * the table's order. Weighted kappa is 1 - sum w_ij O_ij / sum w_ij E_ij with disagreement
 * weights on the category index distance: |i - j| / (k - 1) (linear) or its square (quadratic),
 * as scikit-learn's cohen_kappa_score(weights=...) and R irr's kappa2 "equal"/"squared" do.
 * NaN when chance disagreement is 0.
 */
export function cohenKappaFromTable({
	table,
	weights = 'none',
}: {
	table: readonly (readonly number[])[]
	weights?: KappaWeights
}): number {
	const k = table.length
	if (k === 0) throw new RangeError('table is empty')
	const rows = new Float64Array(k)
	const cols = new Float64Array(k)
	let total = 0
	for (let i = 0; i < k; i++) {
		const row = table[i] as readonly number[]
		if (row.length !== k) throw new RangeError(`table must be square: row ${i} has ${row.length} cells, expected ${k}`)
		for (let j = 0; j < k; j++) {
			const x = row[j] as number
			if (!(x >= 0) || !Number.isFinite(x))
				throw new RangeError(`table[${i}][${j}] must be a non-negative count, got ${x}`)
			rows[i] = (rows[i] as number) + x
			cols[j] = (cols[j] as number) + x
			total += x
		}
	}
	if (total === 0) throw new RangeError('table has no ratings')
	let observed = 0
	let expected = 0
	for (let i = 0; i < k; i++) {
		const row = table[i] as readonly number[]
		for (let j = 0; j < k; j++) {
			const w = disagreementWeight(i, j, k, weights)
			if (w === 0) continue
			observed += w * (row[j] as number)
			expected += (w * (rows[i] as number) * (cols[j] as number)) / total
		}
	}
	return expected === 0 ? Number.NaN : 1 - observed / expected
}

function disagreementWeight(i: number, j: number, k: number, weights: KappaWeights): number {
	if (i === j) return 0
	if (weights === 'none') return 1
	const d = Math.abs(i - j) / (k - 1)
	if (weights === 'linear') return d
	if (weights === 'quadratic') return d * d
	throw new RangeError(`unknown weights ${JSON.stringify(weights)}`)
}

/**
 * Cohen's kappa from two rating vectors; units where either rating is missing are dropped. The
 * categories are the values present in either vector, in ascending order (numbers numerically,
 * then strings), so weighted kappa spaces them by rank, not by value.
 */
export function cohenKappa({
	a,
	b,
	weights = 'none',
}: {
	a: ArrayLike<RatingValue>
	b: ArrayLike<RatingValue>
	weights?: KappaWeights
}): number {
	return cohenKappaFromTable({ table: contingencyTable({ a, b }).table, weights })
}

export function contingencyTable({ a, b }: { a: ArrayLike<RatingValue>; b: ArrayLike<RatingValue> }): {
	categories: (number | string)[]
	table: number[][]
	units: number
} {
	if (a.length !== b.length) throw new RangeError(`rating vectors differ in length: ${a.length} and ${b.length}`)
	const present = (v: RatingValue): v is number | string => v !== null && v !== undefined && !Number.isNaN(v)
	const seen = new Set<number | string>()
	let units = 0
	for (let u = 0; u < a.length; u++) {
		const x = a[u]
		const y = b[u]
		if (!present(x) || !present(y)) continue
		seen.add(x)
		seen.add(y)
		units++
	}
	const categories = [...seen].sort(compareCategories)
	const index = new Map(categories.map((c, i) => [c, i] as const))
	const table = categories.map(() => new Array<number>(categories.length).fill(0))
	for (let u = 0; u < a.length; u++) {
		const x = a[u]
		const y = b[u]
		if (!present(x) || !present(y)) continue
		const row = table[index.get(x) as number] as number[]
		const j = index.get(y) as number
		row[j] = (row[j] as number) + 1
	}
	return { categories, table, units }
}
