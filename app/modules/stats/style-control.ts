import { BATTLE_WINNERS, ELO_BASE, ELO_MEAN, ELO_SCALE, type Battle, type LeaderboardRow } from './bradley-terry.ts'
import { quantileOfSorted, sortedFinite } from './descriptive.ts'
import { multinomialSample } from './multinomial.ts'
import { createRng } from './prng.ts'
import type { ResponseStyle } from './response-style.ts'

export type StyleFeature = 'length' | 'headers' | 'lists' | 'bold'
export type ControlFeature = StyleFeature | 'position'
export const STYLE_FEATURES: readonly StyleFeature[] = ['length', 'headers', 'lists', 'bold']
const STYLE_KEYS: Record<StyleFeature, keyof ResponseStyle> = {
	length: 'tokens',
	headers: 'headers',
	lists: 'lists',
	bold: 'bold',
}

/** FastChat's default: half of scikit-learn's C = 1, since its battles are no longer duplicated. */
export const STYLE_CONTROL_REG = 0.5
const LN_BASE = Math.log(ELO_BASE)
const ELO_PER_NAT = ELO_SCALE / LN_BASE

export interface ControlledBattle extends Battle {
	/** Style of model a's and model b's responses; needed for style control. */
	styleA?: ResponseStyle
	styleB?: ResponseStyle
	/** Whether model a's response was shown first; needed for position control. */
	aFirst?: boolean
}

export type ControlCoefficient = {
	feature: ControlFeature
	/** β: the change in log-odds of model a winning per standard deviation of the feature; null when the feature never varies. */
	value: number | null
	ciLow: number | null
	ciHigh: number | null
	/** The same on the Elo scale: β · 400 / ln 10. */
	elo: number | null
	eloLow: number | null
	eloHigh: number | null
}

export type ControlledLeaderboard = {
	rows: LeaderboardRow[]
	coefficients: ControlCoefficient[]
	battles: number
	bootstrapRounds: number
}

export type ControlDesign = {
	models: string[]
	features: ControlFeature[]
	/** Whether each feature varies over the battles (a constant one stays 0 and gets no coefficient). */
	varies: boolean[]
	a: Int32Array
	b: Int32Array
	/** 1, 0.5 or 0: a win, tie or loss of model a. */
	outcome: Float64Array
	/** Row-major, battles x features, standardized. */
	x: Float64Array
	/** How many battles each row stands for, when identical battles were merged (aggregateControlRows); 1 each without. */
	weights?: Float64Array
}

/**
 * The contextual Bradley–Terry design of FastChat's preprocess_for_style: per battle and style
 * feature (a − b) / (a + b + 1), and for position +1 when model a was shown first, −1 otherwise;
 * each column standardized over the battles (mean 0, population standard deviation 1).
 * Battles of a model against itself are left out.
 */
export function controlDesign({
	battles,
	style,
	position,
}: {
	battles: readonly ControlledBattle[]
	style: boolean
	position: boolean
}): ControlDesign {
	const features = controlFeatures({ style, position })
	const k = features.length
	const kept: ControlledBattle[] = []
	battles.forEach((battle, i) => {
		if (!BATTLE_WINNERS.includes(battle.winner))
			throw new RangeError(`battles[${i}]: unknown winner ${JSON.stringify(battle.winner)}`)
		if (style && (!battle.styleA || !battle.styleB))
			throw new RangeError(`battles[${i}]: style control needs styleA and styleB`)
		if (position && typeof battle.aFirst !== 'boolean')
			throw new RangeError(`battles[${i}]: position control needs aFirst`)
		if (battle.model_a !== battle.model_b) kept.push(battle)
	})
	const models = [...new Set(kept.flatMap((battle) => [battle.model_a, battle.model_b]))].sort()
	const index = new Map(models.map((model, i) => [model, i] as const))
	const n = kept.length
	const a = new Int32Array(n)
	const b = new Int32Array(n)
	const outcome = new Float64Array(n)
	const x = new Float64Array(n * k)
	kept.forEach((battle, i) => {
		a[i] = index.get(battle.model_a) as number
		b[i] = index.get(battle.model_b) as number
		outcome[i] = battle.winner === 'model_a' ? 1 : battle.winner === 'model_b' ? 0 : 0.5
		features.forEach((feature, j) => {
			x[i * k + j] =
				feature === 'position'
					? positionFeature(battle.aFirst as boolean)
					: styleFeature(
							(battle.styleA as ResponseStyle)[STYLE_KEYS[feature]],
							(battle.styleB as ResponseStyle)[STYLE_KEYS[feature]],
						)
		})
	})
	return standardizeDesign({ models, features, a, b, outcome, x })
}

export function controlFeatures({ style, position }: { style: boolean; position: boolean }): ControlFeature[] {
	return [...(style ? STYLE_FEATURES : []), ...(position ? (['position'] as const) : [])]
}

/** FastChat's style feature of one battle, before standardizing: (a − b) / (a + b + 1). */
export function styleFeature(a: number, b: number): number {
	return (a - b) / (a + b + 1)
}

export function positionFeature(aFirst: boolean): number {
	return aFirst ? 1 : -1
}

/**
 * Standardizes the raw feature columns of `x` (battles x features, row-major) in place: mean 0,
 * population standard deviation 1, over the battles (rows counted by their weights). FastChat
 * divides by the deviation regardless (NaN for a constant column); here a constant column becomes
 * 0 and is marked as not varying.
 */
export function standardizeDesign(raw: Omit<ControlDesign, 'varies'>): ControlDesign {
	const { x, features, a, weights } = raw
	const k = features.length
	const rows = a.length
	let n = 0
	for (let i = 0; i < rows; i++) n += weights ? (weights[i] as number) : 1
	const varies = features.map((_, j) => {
		let mean = 0
		for (let i = 0; i < rows; i++) mean += (weights ? (weights[i] as number) : 1) * (x[i * k + j] as number)
		mean /= n
		let variance = 0
		for (let i = 0; i < rows; i++)
			variance += (weights ? (weights[i] as number) : 1) * ((x[i * k + j] as number) - mean) ** 2
		const sd = Math.sqrt(variance / n)
		const ok = n > 0 && sd > 1e-12 * (1 + Math.abs(mean))
		for (let i = 0; i < rows; i++) x[i * k + j] = ok ? ((x[i * k + j] as number) - mean) / sd : 0
		return ok
	})
	return { ...raw, varies }
}

/**
 * Merges battles that are identical in the fit (same models, outcome and raw feature values) into
 * one weighted row: the loss is a sum over battles, so the fit is the same, and resampling battles
 * is one multinomial draw over the rows. Arena battles repeat a lot (few models, small markdown
 * counts, lengths that often coincide), so this shrinks every pass of the fit. Open addressing over
 * typed arrays, so a million distinct battles cost no JavaScript objects.
 */
export function aggregateControlRows({
	a,
	b,
	outcome,
	x,
	k,
}: {
	a: Int32Array
	b: Int32Array
	outcome: Float64Array
	x: Float64Array
	k: number
}) {
	const n = a.length
	let size = 1024
	while (size < n * 2) size *= 2
	const table = new Int32Array(size).fill(-1)
	const bits = new Uint32Array(x.buffer, x.byteOffset, x.length * 2)
	const outcomeBits = new Uint32Array(outcome.buffer, outcome.byteOffset, outcome.length * 2)
	const first = new Int32Array(n)
	const weights = new Float64Array(n)
	let rows = 0
	const same = (i: number, r: number) => {
		if (a[i] !== a[r] || b[i] !== b[r] || outcome[i] !== outcome[r]) return false
		for (let j = 0; j < k; j++) if (x[i * k + j] !== x[r * k + j]) return false
		return true
	}
	for (let i = 0; i < n; i++) {
		let h =
			Math.imul((a[i] as number) + 1, 0x9e3779b1) ^
			Math.imul((b[i] as number) + 7, 0x85ebca77) ^
			(outcomeBits[2 * i + 1] as number)
		for (let w = 2 * i * k; w < 2 * (i + 1) * k; w++) h = Math.imul(h ^ (bits[w] as number), 0x01000193) ^ (h >>> 15)
		let slot = (h >>> 0) & (size - 1)
		for (;;) {
			const row = table[slot] as number
			if (row < 0) {
				table[slot] = rows
				first[rows] = i
				weights[rows] = 1
				rows++
				break
			}
			if (same(i, first[row] as number)) {
				weights[row] = (weights[row] as number) + 1
				break
			}
			slot = (slot + 1) & (size - 1)
		}
	}
	const merged = {
		a: new Int32Array(rows),
		b: new Int32Array(rows),
		outcome: new Float64Array(rows),
		x: new Float64Array(rows * k),
		weights: weights.slice(0, rows),
	}
	for (let r = 0; r < rows; r++) {
		const i = first[r] as number
		merged.a[r] = a[i] as number
		merged.b[r] = b[i] as number
		merged.outcome[r] = outcome[i] as number
		for (let j = 0; j < k; j++) merged.x[r * k + j] = x[i * k + j] as number
	}
	return merged
}

/**
 * Minimises FastChat's contextual_bt_loss: Σ w · logistic loss of the outcome with logit
 * ln(10)·(r_a − r_b) + x·β, plus 0.5·reg·‖(r, β)‖². Newton's method with the exact Hessian (a
 * (models + features)² matrix, small) and a backtracking line search: the loss is strictly convex,
 * so it converges to the optimum FastChat's L-BFGS approaches. Returns (r, β), r in units of
 * log10-odds (Elo / 400).
 */
export function fitContextualBradleyTerry({
	design,
	weights,
	reg = STYLE_CONTROL_REG,
	start,
}: {
	design: ControlDesign
	weights?: Float64Array
	reg?: number
	start?: Float64Array
}): Float64Array {
	const { models, a, b, outcome: y, x } = design
	weights ??= design.weights
	const p = models.length
	const k = design.features.length
	const d = p + k
	const n = a.length
	const theta = start ? Float64Array.from(start) : new Float64Array(d)
	const grad = new Float64Array(d)
	const hess = new Float64Array(d * d)
	const step = new Float64Array(d)
	const trial = new Float64Array(d)

	// One pass over the battles gives the loss, gradient and Hessian at t (in grad and hess).
	const evaluate = (t: Float64Array): number => {
		grad.fill(0)
		hess.fill(0)
		let f = 0
		for (let i = 0; i < n; i++) {
			const w = weights ? (weights[i] as number) : 1
			if (w === 0) continue
			const ia = a[i] as number
			const ib = b[i] as number
			const row = i * k
			let z = LN_BASE * ((t[ia] as number) - (t[ib] as number))
			for (let j = 0; j < k; j++) z += (x[row + j] as number) * (t[p + j] as number)
			const yi = y[i] as number
			// One exp and one log1p per battle: log σ(z), log σ(−z) = log σ(z) − z, and σ(z).
			const ez = Math.exp(-Math.abs(z))
			const logPa = (z >= 0 ? 0 : z) - Math.log1p(ez)
			f -= w * (yi * logPa + (1 - yi) * (logPa - z))
			const prob = z >= 0 ? 1 / (1 + ez) : ez / (1 + ez)
			const e = w * (prob - yi)
			const s = w * prob * (1 - prob)
			grad[ia] = (grad[ia] as number) + LN_BASE * e
			grad[ib] = (grad[ib] as number) - LN_BASE * e
			const rr = s * LN_BASE * LN_BASE
			hess[ia * d + ia] = (hess[ia * d + ia] as number) + rr
			hess[ib * d + ib] = (hess[ib * d + ib] as number) + rr
			hess[ia * d + ib] = (hess[ia * d + ib] as number) - rr
			hess[ib * d + ia] = (hess[ib * d + ia] as number) - rr
			for (let j = 0; j < k; j++) {
				const xj = x[row + j] as number
				if (xj === 0) continue
				grad[p + j] = (grad[p + j] as number) + e * xj
				const rf = s * LN_BASE * xj
				hess[ia * d + p + j] = (hess[ia * d + p + j] as number) + rf
				hess[ib * d + p + j] = (hess[ib * d + p + j] as number) - rf
				const sx = s * xj
				for (let l = j; l < k; l++)
					hess[(p + j) * d + p + l] = (hess[(p + j) * d + p + l] as number) + sx * (x[row + l] as number)
			}
		}
		let norm = 0
		for (let j = 0; j < d; j++) {
			norm += (t[j] as number) ** 2
			grad[j] = (grad[j] as number) + reg * (t[j] as number)
			hess[j * d + j] = (hess[j * d + j] as number) + reg
		}
		// Only the upper triangle of the feature block and the rating-feature block were filled.
		for (let j = 0; j < k; j++) {
			for (let m = 0; m < p; m++) hess[(p + j) * d + m] = hess[m * d + p + j] as number
			for (let l = j + 1; l < k; l++) hess[(p + l) * d + p + j] = hess[(p + j) * d + p + l] as number
		}
		return f + 0.5 * reg * norm
	}

	let f = evaluate(theta)
	for (let iter = 0; iter < 100; iter++) {
		step.set(grad)
		choleskySolve(hess, step, d)
		// A full Newton step almost always lowers the loss; halve it while it does not.
		let scale = 1
		let next = f
		for (let halving = 0; halving < 60; halving++) {
			for (let j = 0; j < d; j++) trial[j] = (theta[j] as number) - scale * (step[j] as number)
			next = evaluate(trial)
			if (next <= f + 1e-13 * (1 + Math.abs(f))) break
			scale /= 2
		}
		let largest = 0
		for (let j = 0; j < d; j++) largest = Math.max(largest, Math.abs(scale * (step[j] as number)))
		theta.set(trial)
		f = next
		if (largest <= 1e-10) break
	}
	return theta
}

/** Solves A x = b in place (b becomes x) for a symmetric positive-definite A; A is overwritten. */
function choleskySolve(m: Float64Array, v: Float64Array, n: number): void {
	for (let j = 0; j < n; j++) {
		let diagonal = m[j * n + j] as number
		for (let c = 0; c < j; c++) diagonal -= (m[j * n + c] as number) ** 2
		const l = Math.sqrt(diagonal > 0 ? diagonal : 1e-300)
		m[j * n + j] = l
		for (let i = j + 1; i < n; i++) {
			let s = m[i * n + j] as number
			for (let c = 0; c < j; c++) s -= (m[i * n + c] as number) * (m[j * n + c] as number)
			m[i * n + j] = s / l
		}
	}
	for (let i = 0; i < n; i++) {
		let s = v[i] as number
		for (let c = 0; c < i; c++) s -= (m[i * n + c] as number) * (v[c] as number)
		v[i] = s / (m[i * n + i] as number)
	}
	for (let i = n - 1; i >= 0; i--) {
		let s = v[i] as number
		for (let c = i + 1; c < n; c++) s -= (m[c * n + i] as number) * (v[c] as number)
		v[i] = s / (m[i * n + i] as number)
	}
}

/**
 * The style- and/or position-controlled leaderboard: FastChat's compute_style_control (ratings
 * 400·r + 1000) with percentile bootstrap intervals for ratings and coefficients, each round
 * resampling the battles with replacement (seeded), as compute_bootstrap_style_control does.
 * Sorted best first; rank is 1 + the models whose interval lies wholly above.
 */
export function controlledLeaderboard({
	battles,
	style,
	position,
	bootstrap = 100,
	seed = 42,
	alpha = 0.05,
	reg = STYLE_CONTROL_REG,
}: {
	battles: readonly ControlledBattle[]
	style: boolean
	position: boolean
	bootstrap?: number
	seed?: number
	alpha?: number
	reg?: number
}): ControlledLeaderboard {
	if (!style && !position) throw new RangeError('choose style control, position control or both')
	return controlledLeaderboardFromDesign({
		design: controlDesign({ battles, style, position }),
		bootstrap,
		seed,
		alpha,
		reg,
	})
}

/** controlledLeaderboard on a design built elsewhere (the analytics refresh builds it in columns). */
export function controlledLeaderboardFromDesign({
	design,
	bootstrap = 100,
	seed = 42,
	alpha = 0.05,
	reg = STYLE_CONTROL_REG,
}: {
	design: ControlDesign
	bootstrap?: number
	seed?: number
	alpha?: number
	reg?: number
}): ControlledLeaderboard {
	if (!Number.isInteger(bootstrap) || bootstrap < 0)
		throw new RangeError(`bootstrap must be a non-negative integer, got ${bootstrap}`)
	if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`)
	const { models, features, varies, a, b, weights: counts } = design
	const p = models.length
	const k = features.length
	const d = p + k
	const cells = a.length
	let n = cells
	if (counts) {
		n = 0
		for (let i = 0; i < cells; i++) n += counts[i] as number
	}
	const full = fitContextualBradleyTerry({ design, reg })

	const samples = new Float64Array(bootstrap * d)
	if (bootstrap > 0 && n > 0) {
		const rng = createRng(seed)
		const weights = new Float64Array(cells)
		for (let r = 0; r < bootstrap; r++) {
			// Resampling n battles with replacement: one multinomial draw when rows stand for several.
			if (counts) multinomialSample(rng, n, counts, weights)
			else {
				weights.fill(0)
				for (let i = 0; i < n; i++) {
					const drawn = rng.nextInt(n)
					weights[drawn] = (weights[drawn] as number) + 1
				}
			}
			samples.set(fitContextualBradleyTerry({ design, weights, reg, start: full }), r * d)
		}
	}
	const interval = (column: number): [number, number] => {
		if (bootstrap === 0) return [full[column] as number, full[column] as number]
		const values = new Float64Array(bootstrap)
		for (let r = 0; r < bootstrap; r++) values[r] = samples[r * d + column] as number
		const sorted = sortedFinite(values)
		return [quantileOfSorted(sorted, alpha / 2), quantileOfSorted(sorted, 1 - alpha / 2)]
	}

	const battlesOf = new Float64Array(p)
	for (let i = 0; i < cells; i++) {
		const count = counts ? (counts[i] as number) : 1
		battlesOf[a[i] as number] = (battlesOf[a[i] as number] as number) + count
		battlesOf[b[i] as number] = (battlesOf[b[i] as number] as number) + count
	}
	const elo = (r: number) => ELO_MEAN + ELO_SCALE * r
	const bounds = models.map((_, m) => interval(m).map(elo) as [number, number])
	const rows: LeaderboardRow[] = models.map((model, m) => {
		const [low, high] = bounds[m] as [number, number]
		return {
			model,
			rating: elo(full[m] as number),
			ciLow: low,
			ciHigh: high,
			battles: battlesOf[m] as number,
			rank: 1 + bounds.filter(([otherLow]) => otherLow > high).length,
		}
	})
	rows.sort((x, y) => y.rating - x.rating || (x.model < y.model ? -1 : 1))

	const coefficients: ControlCoefficient[] = features.map((feature, j) => {
		if (!varies[j]) return { feature, value: null, ciLow: null, ciHigh: null, elo: null, eloLow: null, eloHigh: null }
		const value = full[p + j] as number
		const [low, high] = interval(p + j)
		return {
			feature,
			value,
			ciLow: low,
			ciHigh: high,
			elo: value * ELO_PER_NAT,
			eloLow: low * ELO_PER_NAT,
			eloHigh: high * ELO_PER_NAT,
		}
	})
	return { rows, coefficients, battles: n, bootstrapRounds: bootstrap }
}
