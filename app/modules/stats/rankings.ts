import type { AlphaLevel } from './krippendorff.ts'
import { krippendorffAlphaFromUnits } from './krippendorff.ts'
import { percentAgreementFromUnits } from './percent-agreement.ts'

/** A ranking as tiers of ids, best first; ids in one tier are tied. */
export type Ranking = readonly (readonly string[])[]

/** -1: the first id of the pair is preferred, 0: tie, +1: the second is preferred. */
export type PairPreference = -1 | 0 | 1

export interface ImpliedPair {
	first: string
	second: string
	value: PairPreference
}

/** Midranks (average rank for ties) of each value, rank 1 for the smallest. */
export function midranks(values: ArrayLike<number>): { ranks: Float64Array; tieCorrection: number } {
	const n = values.length
	const order = Int32Array.from({ length: n }, (_, i) => i).sort(
		(x, y) => (values[x] as number) - (values[y] as number),
	)
	const ranks = new Float64Array(n)
	let tieCorrection = 0
	let i = 0
	while (i < n) {
		let j = i + 1
		while (j < n && values[order[j] as number] === values[order[i] as number]) j++
		const t = j - i
		const rank = (i + 1 + j) / 2
		for (let r = i; r < j; r++) ranks[order[r] as number] = rank
		tieCorrection += t * t * t - t
		i = j
	}
	return { ranks, tieCorrection }
}

/**
 * Kendall's W for m rankers over n objects, `scores[rater][object]` (ranks or any scores; each
 * rater's row is turned into midranks, so only the order matters). With ties corrected:
 *   W = 12 S / (m^2 (n^3 - n) - m sum_j T_j), T_j = sum over tie groups of (t^3 - t),
 * as R irr's kendall(ratings, correct = TRUE) (which takes objects x raters). NaN when every
 * rater ties every object.
 */
export function kendallW({
	scores,
	correctTies = true,
}: {
	scores: readonly ArrayLike<number>[]
	correctTies?: boolean
}): number {
	const m = scores.length
	if (m < 2) throw new RangeError(`Kendall's W needs at least two raters, got ${m}`)
	const n = scores[0]?.length ?? 0
	if (n < 2) throw new RangeError(`Kendall's W needs at least two objects, got ${n}`)
	const rankSums = new Float64Array(n)
	let ties = 0
	for (const [r, row] of scores.entries()) {
		if (row.length !== n) throw new RangeError(`scores[${r}] has ${row.length} objects, expected ${n}`)
		for (let i = 0; i < n; i++) {
			if (!Number.isFinite(row[i])) throw new RangeError(`scores[${r}][${i}] must be a finite number, got ${row[i]}`)
		}
		const { ranks, tieCorrection } = midranks(row)
		for (let i = 0; i < n; i++) rankSums[i] = (rankSums[i] as number) + (ranks[i] as number)
		ties += tieCorrection
	}
	const mean = (m * (n + 1)) / 2
	let s = 0
	for (let i = 0; i < n; i++) s += ((rankSums[i] as number) - mean) ** 2
	const denominator = m * m * (n * n * n - n) - (correctTies ? m * ties : 0)
	return denominator === 0 ? Number.NaN : (12 * s) / denominator
}

/** Kendall's W from tiered rankings; every ranking must hold the same ids. */
export function kendallWFromRankings({
	rankings,
	correctTies = true,
}: {
	rankings: readonly Ranking[]
	correctTies?: boolean
}): number {
	const first = rankings[0]
	if (!first) throw new RangeError("Kendall's W needs at least two rankings, got 0")
	const ids = [...tierPositions(first).keys()].sort()
	const scores = rankings.map((ranking, r) => {
		const positions = tierPositions(ranking)
		if (positions.size !== ids.length || ids.some((id) => !positions.has(id))) {
			throw new RangeError(`rankings[${r}] does not rank the same ids as rankings[0]`)
		}
		return ids.map((id) => positions.get(id) as number)
	})
	return kendallW({ scores, correctTies })
}

function tierPositions(ranking: Ranking): Map<string, number> {
	const positions = new Map<string, number>()
	for (const [tier, ids] of ranking.entries()) {
		for (const id of ids) {
			if (positions.has(id)) throw new RangeError(`id ${JSON.stringify(id)} appears twice in one ranking`)
			positions.set(id, tier)
		}
	}
	return positions
}

/**
 * The pairwise preferences a ranking implies: one entry per unordered pair of ids, with
 * `first < second` in code-unit order so that every ranking of the same ids yields the same
 * pairs in the same order.
 */
export function rankingImpliedPairs(ranking: Ranking): ImpliedPair[] {
	const positions = tierPositions(ranking)
	const ids = [...positions.keys()].sort()
	const pairs: ImpliedPair[] = []
	for (let i = 0; i < ids.length; i++) {
		const first = ids[i] as string
		const pf = positions.get(first) as number
		for (let j = i + 1; j < ids.length; j++) {
			const second = ids[j] as string
			const ps = positions.get(second) as number
			pairs.push({ first, second, value: pf < ps ? -1 : pf > ps ? 1 : 0 })
		}
	}
	return pairs
}

export interface RankingPairUnit {
	item: number
	first: string
	second: string
	/** One preference per annotator who ranked both ids of the pair. */
	values: PairPreference[]
}

/**
 * Turns rankings[item][annotator] into agreement units, one per (item, pair of ids), holding
 * the preference each annotator's ranking implies for that pair. Annotators whose ranking
 * lacks one of the ids give no value for that pair.
 */
export function rankingPairUnits({ rankings }: { rankings: readonly (readonly Ranking[])[] }): RankingPairUnit[] {
	const units: RankingPairUnit[] = []
	for (const [item, annotators] of rankings.entries()) {
		const byPair = new Map<string, RankingPairUnit>()
		for (const ranking of annotators) {
			for (const { first, second, value } of rankingImpliedPairs(ranking)) {
				const key = `${first}\u0000${second}`
				let unit = byPair.get(key)
				if (!unit) {
					unit = { item, first, second, values: [] }
					byPair.set(key, unit)
				}
				unit.values.push(value)
			}
		}
		units.push(...byPair.values())
	}
	return units
}

/**
 * Agreement over the pairs rankings imply: Krippendorff's alpha (nominal by default; ordinal
 * treats -1 < 0 < +1) and pairwise percent agreement over the (item, pair) units. `units`
 * counts the (item, pair) units that at least two annotators ranked.
 */
export function rankingPairAgreement({
	rankings,
	level = 'nominal',
}: {
	rankings: readonly (readonly Ranking[])[]
	level?: Extract<AlphaLevel, 'nominal' | 'ordinal'>
}): { alpha: number; percentAgreement: number; units: number } {
	const units = rankingPairUnits({ rankings })
	const values = units.map((u) => u.values)
	const alpha = krippendorffAlphaFromUnits({ units: values, level })
	const percent = percentAgreementFromUnits({ units: values })
	return { alpha: alpha.alpha, percentAgreement: percent.agreement, units: alpha.units }
}
