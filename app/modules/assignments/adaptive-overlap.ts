// The numbers adaptive overlap decides with (ADR 0020). The submit function adds one log
// confusion entry per judgment to the item's log posterior; these say how the refresh builds them.

/**
 * An annotator with no history is assumed right this often, wrong answers equally likely. Kept in
 * step with prisma/sql/functions/quorum_default_log_conf.sql.
 */
export const DEFAULT_ACCURACY = 0.7
/** How many judgments' worth of weight the default carries against an annotator's own record. */
export const PRIOR_WEIGHT = 20
/** Share of the uniform distribution mixed into the class prior, so no class is ever ruled out. */
export const PRIOR_FLOOR = 0.05

export function defaultConfusion(classes: number): number[] {
	const off = (1 - DEFAULT_ACCURACY) / (classes - 1)
	return Array.from({ length: classes * classes }, (_, g) =>
		Math.floor(g / classes) === g % classes ? DEFAULT_ACCURACY : off,
	)
}

/**
 * An annotator's confusion matrix (K×K, row = true class) as logs, shrunk toward the default in
 * proportion to how little they have judged: n judgments weigh n against the default's 20.
 */
export function shrunkLogConfusion({
	confusion,
	judgments,
	classes,
}: {
	confusion: ArrayLike<number>
	judgments: number
	classes: number
}): number[] {
	const fallback = defaultConfusion(classes)
	const w = judgments / (judgments + PRIOR_WEIGHT)
	return fallback.map((d, g) => Math.log(w * confusion[g]! + (1 - w) * d))
}

export function logPrior(prior: ArrayLike<number>): number[] {
	const K = prior.length
	return Array.from(prior, (p) => Math.log((1 - PRIOR_FLOOR) * p + PRIOR_FLOOR / K))
}

/** The largest class probability of an unnormalized log posterior (as quorum_confidence). */
export function confidenceOf(logPost: ArrayLike<number>): number {
	const top = Math.max(...Array.from(logPost))
	let sum = 0
	for (let k = 0; k < logPost.length; k++) sum += Math.exp(logPost[k]! - top)
	return 1 / sum
}
