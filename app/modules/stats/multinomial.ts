import type { Rng } from './prng.ts'

// log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2], the Stirling remainder, for k < 10.
const STIRLING_TAIL = [
	0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509, 0.01664469118982119,
	0.01387612882307075, 0.01189670994589177, 0.01041126526197209, 0.009255462182712733, 0.008330563433362871,
]

function stirlingTail(k: number): number {
	if (k < 10) return STIRLING_TAIL[k] as number
	const r = 1 / (k + 1)
	const r2 = r * r
	return (1 / 12 - (1 / 360 - r2 / 1260) * r2) * r
}

/** Inversion from 0 upwards; used when n * p < 10, so q^n stays far from underflow. */
function binomialInversion(rng: Rng, n: number, p: number): number {
	const q = 1 - p
	const s = p / q
	const a = (n + 1) * s
	for (;;) {
		let r = q ** n
		let u = rng.nextFloat()
		let x = 0
		while (u > r) {
			u -= r
			x++
			if (x > n) break
			r *= a / x - s
		}
		if (x <= n) return x
	}
}

/** Hörmann's BTRD (transformed rejection with decomposition, 1993) for n * p >= 10, p <= 1/2. */
function binomialBtrd(rng: Rng, n: number, p: number): number {
	const q = 1 - p
	const m = Math.floor((n + 1) * p)
	const r = p / q
	const nr = (n + 1) * r
	const npq = n * p * q
	const sqrtNpq = Math.sqrt(npq)
	const b = 1.15 + 2.53 * sqrtNpq
	const a = -0.0873 + 0.0248 * b + 0.01 * p
	const c = n * p + 0.5
	const alpha = (2.83 + 5.1 / b) * sqrtNpq
	const vr = 0.92 - 4.2 / b
	const urvr = 0.86 * vr
	for (;;) {
		let v = rng.nextFloat()
		let u: number
		if (v <= urvr) {
			u = v / vr - 0.43
			return Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c)
		}
		if (v >= vr) {
			u = rng.nextFloat() - 0.5
		} else {
			u = v / vr - 0.93
			u = Math.sign(u) * 0.5 - u
			v = rng.nextFloat() * vr
		}
		const us = 0.5 - Math.abs(u)
		const k = Math.floor(((2 * a) / us + b) * u + c)
		if (k < 0 || k > n) continue
		v = (v * alpha) / (a / (us * us) + b)
		const km = Math.abs(k - m)
		if (km <= 15) {
			let f = 1
			if (m < k) for (let i = m + 1; i <= k; i++) f *= nr / i - r
			else if (m > k) for (let i = k + 1; i <= m; i++) v *= nr / i - r
			if (v <= f) return k
			continue
		}
		v = Math.log(v)
		const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5)
		const t = (-km * km) / (2 * npq)
		if (v < t - rho) return k
		if (v > t + rho) continue
		const nm = n - m + 1
		const h = (m + 0.5) * Math.log((m + 1) / (r * nm)) + stirlingTail(m) + stirlingTail(n - m)
		const nk = n - k + 1
		if (
			v <=
			h + (n + 1) * Math.log(nm / nk) + (k + 0.5) * Math.log((nk * r) / (k + 1)) - stirlingTail(k) - stirlingTail(n - k)
		)
			return k
	}
}

/** One draw from Binomial(n, p): exact, by inversion for small means and BTRD otherwise. */
export function binomialSample(rng: Rng, n: number, p: number): number {
	if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`)
	if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`)
	if (n === 0 || p === 0) return 0
	if (p === 1) return n
	if (p > 0.5) return n - binomialSample(rng, n, 1 - p)
	return n * p < 10 ? binomialInversion(rng, n, p) : binomialBtrd(rng, n, p)
}

/**
 * One draw from Multinomial(n, weights / sum(weights)) into `out`, by conditional binomials (as
 * numpy's Generator.multinomial): each category takes Binomial(remaining, its share of the
 * remaining weight). Costs one binomial draw per category, whatever n is.
 */
export function multinomialSample(rng: Rng, n: number, weights: ArrayLike<number>, out: Float64Array): Float64Array {
	let total = 0
	let last = -1
	for (let i = 0; i < weights.length; i++) {
		const w = weights[i] as number
		if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weights must be non-negative finite numbers, got ${w}`)
		total += w
		if (w > 0) last = i
	}
	let remaining = n
	for (let i = 0; i < weights.length; i++) {
		const w = weights[i] as number
		if (remaining === 0 || w === 0) {
			out[i] = 0
		} else if (i === last || w >= total) {
			out[i] = remaining
			remaining = 0
		} else {
			const k = binomialSample(rng, remaining, w / total)
			out[i] = k
			remaining -= k
		}
		total -= w
	}
	return out
}
