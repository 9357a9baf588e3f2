import { CoincidenceAccumulator, feedObserverMatrix, feedUnits, type RatingValue } from './coincidences.ts'

export interface PercentAgreementResult {
	/** NaN when no unit has two values. */
	agreement: number
	/** Units with at least two values; the others are dropped. */
	units: number
	/** Ordered pairs of values within units, sum of m_u (m_u - 1). */
	pairs: number
}

/**
 * Pairwise percent agreement: among all pairs of values given to the same unit by different
 * observers, the proportion that are equal, pooled over units:
 *   sum_u sum_c n_uc (n_uc - 1) / sum_u m_u (m_u - 1).
 * Units with fewer than two values are dropped. A unit with more observers weighs more because
 * it contributes more pairs. With two observers this is the proportion of jointly rated units on
 * which they agree (the diagonal share of Cohen's contingency table).
 */
export function percentAgreement({ data }: { data: readonly (readonly RatingValue[])[] }): PercentAgreementResult {
	const acc = new CoincidenceAccumulator({ metric: 'nominal' })
	feedObserverMatrix(acc, data)
	return resultOf(acc)
}

export function percentAgreementFromUnits({
	units,
}: {
	units: Iterable<ArrayLike<RatingValue>>
}): PercentAgreementResult {
	const acc = new CoincidenceAccumulator({ metric: 'nominal' })
	feedUnits(acc, units)
	return resultOf(acc)
}

function resultOf(acc: CoincidenceAccumulator): PercentAgreementResult {
	return {
		agreement: acc.pairs === 0 ? Number.NaN : acc.agreeingPairs / acc.pairs,
		units: acc.units,
		pairs: acc.pairs,
	}
}
