const LANCZOS = [
	0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
	12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** log Gamma(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
	if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
	const z = x - 1
	let a = LANCZOS[0] as number
	const t = z + 7.5
	for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i)
	return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

function binomialLogPmf(k: number, n: number, p: number, logChooseN: number): number {
	const logChoose = logChooseN - logGamma(k + 1) - logGamma(n - k + 1)
	const a = k === 0 ? 0 : k * Math.log(p)
	const b = n - k === 0 ? 0 : (n - k) * Math.log1p(-p)
	return logChoose + a + b
}

/**
 * Exact two-sided binomial test p-value, as R's binom.test and SciPy's binomtest: the total
 * probability of the outcomes no more likely than the observed one (with the same 1e-7
 * relative tolerance). For position bias, `successes` is how often the first response was
 * chosen out of `trials`, against p = 0.5.
 */
export function binomialTestTwoSided({
	successes,
	trials,
	p = 0.5,
}: {
	successes: number
	trials: number
	p?: number
}): number {
	if (!Number.isInteger(trials) || trials < 0)
		throw new RangeError(`trials must be a non-negative integer, got ${trials}`)
	if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
		throw new RangeError(`successes must be an integer in [0, ${trials}], got ${successes}`)
	}
	if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`)
	const n = trials
	if (n === 0) return 1
	if (p === 0) return successes === 0 ? 1 : 0
	if (p === 1) return successes === n ? 1 : 0
	const logChooseN = logGamma(n + 1)
	const observed = binomialLogPmf(successes, n, p, logChooseN)
	const threshold = observed + Math.log1p(1e-7)
	let total = 0
	for (let k = 0; k <= n; k++) {
		const lp = binomialLogPmf(k, n, p, logChooseN)
		if (lp <= threshold) total += Math.exp(lp)
	}
	return Math.min(1, total)
}
