import { compareCategories, type RatingValue } from './coincidences.ts'

/**
 * Fleiss' kappa from a subjects x categories table of counts; every subject must have the same
 * number of ratings n >= 2 (Fleiss 1971). NaN when chance agreement is 1.
 */
export function fleissKappaFromCounts({ counts }: { counts: readonly (readonly number[])[] }): number {
	const subjects = counts.length
	if (subjects === 0) throw new RangeError('counts has no subjects')
	const k = counts[0]?.length ?? 0
	let raters = -1
	const columnTotals = new Float64Array(k)
	let sumAgreement = 0
	for (let i = 0; i < subjects; i++) {
		const row = counts[i] as readonly number[]
		if (row.length !== k) throw new RangeError(`counts[${i}] has ${row.length} categories, expected ${k}`)
		let total = 0
		let sumSq = 0
		for (let j = 0; j < k; j++) {
			const x = row[j] as number
			if (!Number.isInteger(x) || x < 0)
				throw new RangeError(`counts[${i}][${j}] must be a non-negative integer, got ${x}`)
			total += x
			sumSq += x * x
			columnTotals[j] = (columnTotals[j] as number) + x
		}
		if (raters === -1) raters = total
		else if (total !== raters) {
			throw new RangeError(
				`counts[${i}] sums to ${total} ratings but counts[0] to ${raters}; Fleiss' kappa needs the same number per subject`,
			)
		}
		sumAgreement += sumSq - total
	}
	if (raters < 2) throw new RangeError(`each subject needs at least two ratings, got ${raters}`)
	const pBar = sumAgreement / (subjects * raters * (raters - 1))
	let pe = 0
	for (let j = 0; j < k; j++) pe += ((columnTotals[j] as number) / (subjects * raters)) ** 2
	return pe === 1 ? Number.NaN : (pBar - pe) / (1 - pe)
}

/**
 * Fleiss' kappa from a subjects x raters table of categories, as R irr's kappam.fleiss: the
 * categories are the values present, and subjects with a missing rating are dropped (na.omit).
 */
export function fleissKappa({ ratings }: { ratings: readonly (readonly RatingValue[])[] }): number {
	const complete = ratings.filter((row) => row.every((v) => v !== null && v !== undefined && !Number.isNaN(v)))
	const categories = new Map<number | string, number>()
	const values = [...new Set(complete.flat() as (number | string)[])].sort(compareCategories)
	for (const [j, value] of values.entries()) categories.set(value, j)
	const counts = complete.map((row) => {
		const out = new Array<number>(values.length).fill(0)
		for (const v of row) {
			const j = categories.get(v as number | string) as number
			out[j] = (out[j] as number) + 1
		}
		return out
	})
	return fleissKappaFromCounts({ counts })
}
