import { quantileOfSorted, sortedFinite } from './descriptive.ts'
import { multinomialSample } from './multinomial.ts'
import { createRng } from './prng.ts'

export type BattleWinner = 'model_a' | 'model_b' | 'tie' | 'tie (bothbad)'
export const BATTLE_WINNERS: readonly BattleWinner[] = ['model_a', 'model_b', 'tie', 'tie (bothbad)']

export interface Battle {
	model_a: string
	model_b: string
	winner: BattleWinner
}

/** Chatbot Arena's scale: P(a beats b) = 1 / (1 + 10^((R_b - R_a) / 400)), mean rating 1000. */
export const ELO_SCALE = 400
export const ELO_BASE = 10
export const ELO_MEAN = 1000
const ELO_PER_NAT = ELO_SCALE / Math.log(ELO_BASE)

/**
 * Prior used only when the maximum-likelihood ratings do not exist (some group of models never
 * beats the rest: a model that never lost or never won, or groups never compared): a Gaussian
 * prior on natural-log strengths with precision 0.01 (sd 10, about 1737 Elo). It keeps ratings
 * finite and centres each disconnected group on the mean.
 */
export const FALLBACK_RIDGE = 0.01

export interface PairwiseCounts {
	/** Sorted model names. */
	models: string[]
	/** wins[i * p + j]: wins of model i over model j, a tie or both-bad counting half to each. */
	wins: Float64Array
	/** Battles each model took part in (battles of a model against itself are ignored). */
	battles: Float64Array
}

export interface BradleyTerryFit {
	models: string[]
	/** Elo-scale ratings, mean 1000 over the models that have battles. */
	ratings: Float64Array
	/** Natural-log strengths, mean 0. */
	logStrengths: Float64Array
	/** The ridge applied: 0 for the plain maximum-likelihood fit. */
	ridge: number
}

export interface LeaderboardRow {
	model: string
	rating: number
	ciLow: number
	ciHigh: number
	battles: number
	/** 1 + the number of models whose interval lies wholly above this model's. */
	rank: number
}

function checkBattle(battle: Battle, i: number): void {
	if (!BATTLE_WINNERS.includes(battle.winner)) {
		throw new RangeError(`battles[${i}]: unknown winner ${JSON.stringify(battle.winner)}`)
	}
}

interface EncodedBattles {
	models: string[]
	a: Int32Array
	b: Int32Array
	/** 0: a won, 1: b won, 2: tie. */
	outcome: Uint8Array
}

function encodeBattles(battles: readonly Battle[]): EncodedBattles {
	// One pass: names get indices in order of appearance, renumbered by sorted name at the end.
	const seen = new Map<string, number>()
	const indexOf = (name: string) => {
		let index = seen.get(name)
		if (index === undefined) {
			index = seen.size
			seen.set(name, index)
		}
		return index
	}
	let a = new Int32Array(battles.length)
	let b = new Int32Array(battles.length)
	let outcome = new Uint8Array(battles.length)
	let kept = 0
	for (let i = 0; i < battles.length; i++) {
		const battle = battles[i] as Battle
		const winner = battle.winner
		const code =
			winner === 'model_a' ? 0 : winner === 'model_b' ? 1 : winner === 'tie' || winner === 'tie (bothbad)' ? 2 : -1
		if (code < 0) checkBattle(battle, i)
		if (battle.model_a === battle.model_b) continue
		a[kept] = indexOf(battle.model_a)
		b[kept] = indexOf(battle.model_b)
		outcome[kept] = code
		kept++
	}
	const models = [...seen.keys()].sort()
	const renumber = new Int32Array(models.length)
	models.forEach((model, i) => (renumber[seen.get(model) as number] = i))
	a = a.subarray(0, kept)
	b = b.subarray(0, kept)
	outcome = outcome.subarray(0, kept)
	for (let i = 0; i < kept; i++) {
		a[i] = renumber[a[i] as number] as number
		b[i] = renumber[b[i] as number] as number
	}
	return { models, a, b, outcome }
}

function addBattle(wins: Float64Array, p: number, a: number, b: number, outcome: number): void {
	if (outcome === 0) wins[a * p + b] = (wins[a * p + b] as number) + 1
	else if (outcome === 1) wins[b * p + a] = (wins[b * p + a] as number) + 1
	else {
		wins[a * p + b] = (wins[a * p + b] as number) + 0.5
		wins[b * p + a] = (wins[b * p + a] as number) + 0.5
	}
}

export function aggregateBattles(battles: readonly Battle[]): PairwiseCounts {
	const { models, a, b, outcome } = encodeBattles(battles)
	const p = models.length
	const wins = new Float64Array(p * p)
	const perModel = new Float64Array(p)
	for (let i = 0; i < a.length; i++) {
		const x = a[i] as number
		const y = b[i] as number
		addBattle(wins, p, x, y, outcome[i] as number)
		perModel[x] = (perModel[x] as number) + 1
		perModel[y] = (perModel[y] as number) + 1
	}
	return { models, wins, battles: perModel }
}

/** Bradley-Terry ratings from battles, as Chatbot Arena's compute_mle_elo (mean-centred). */
export function bradleyTerry({ battles, ridge }: { battles: readonly Battle[]; ridge?: number }): BradleyTerryFit {
	const counts = aggregateBattles(battles)
	return bradleyTerryFromCounts({ models: counts.models, wins: counts.wins, ridge })
}

/**
 * Bradley-Terry ratings from a p x p win matrix (row-major, wins[i * p + j] = wins of i over j,
 * fractional counts allowed). Maximises the likelihood by Newton's method on the aggregated
 * counts, which is the same optimum as Arena's unpenalised logistic regression on battles.
 * Models without any battle get NaN. `ridge` forces a Gaussian prior of that precision on
 * natural-log strengths; by default none is used unless the maximum-likelihood fit does not
 * exist (see FALLBACK_RIDGE).
 */
export function bradleyTerryFromCounts({
	models,
	wins,
	ridge,
}: {
	models: readonly string[]
	wins: ArrayLike<number> | readonly (readonly number[])[]
	ridge?: number
}): BradleyTerryFit {
	const p = models.length
	const flat = flattenWins(wins, p)
	const { theta, ridge: used } = fitLogStrengths(flat, p, ridge)
	return { models: [...models], ratings: toElo(theta), logStrengths: theta, ridge: used }
}

function flattenWins(wins: ArrayLike<number> | readonly (readonly number[])[], p: number): Float64Array {
	const flat = new Float64Array(p * p)
	if (wins.length === p * p && (p === 0 || typeof wins[0] === 'number')) {
		for (let i = 0; i < p * p; i++) flat[i] = (wins as ArrayLike<number>)[i] as number
	} else {
		if (wins.length !== p) throw new RangeError(`wins must be ${p} x ${p}`)
		for (let i = 0; i < p; i++) {
			const row = (wins as readonly (readonly number[])[])[i]
			if (!row || row.length !== p) throw new RangeError(`wins[${i}] must have ${p} entries`)
			for (let j = 0; j < p; j++) flat[i * p + j] = row[j] as number
		}
	}
	for (let i = 0; i < p * p; i++) {
		const w = flat[i] as number
		if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`wins must be non-negative finite counts, got ${w}`)
	}
	for (let i = 0; i < p; i++) flat[i * p + i] = 0
	return flat
}

function toElo(theta: Float64Array): Float64Array {
	return theta.map((t) => ELO_MEAN + ELO_PER_NAT * t)
}

function logSigmoid(x: number): number {
	return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x))
}

function sigmoid(x: number): number {
	if (x >= 0) return 1 / (1 + Math.exp(-x))
	const e = Math.exp(x)
	return e / (1 + e)
}

function stronglyConnected(w: Float64Array, q: number): boolean {
	const reach = (forward: boolean): boolean => {
		const seen = new Uint8Array(q)
		const stack = [0]
		seen[0] = 1
		let count = 1
		while (stack.length > 0) {
			const i = stack.pop() as number
			for (let j = 0; j < q; j++) {
				if (seen[j] === 1) continue
				if (((forward ? w[i * q + j] : w[j * q + i]) as number) > 0) {
					seen[j] = 1
					count++
					stack.push(j)
				}
			}
		}
		return count === q
	}
	return reach(true) && reach(false)
}

/**
 * Newton's method on the log-likelihood of natural-log strengths theta (mean 0). The Hessian is
 * singular along the all-ones direction; solving with J + c 11' instead keeps each step mean-zero
 * without changing it.
 */
function fitLogStrengths(
	wins: Float64Array,
	p: number,
	ridge: number | undefined,
	start?: Float64Array,
): { theta: Float64Array; ridge: number } {
	if (ridge !== undefined && !(ridge >= 0 && Number.isFinite(ridge))) {
		throw new RangeError(`ridge must be a non-negative number, got ${ridge}`)
	}
	const theta = new Float64Array(p).fill(Number.NaN)
	const active: number[] = []
	for (let i = 0; i < p; i++) {
		let n = 0
		for (let j = 0; j < p; j++) n += (wins[i * p + j] as number) + (wins[j * p + i] as number)
		if (n > 0) active.push(i)
	}
	const q = active.length
	if (q === 0) return { theta, ridge: ridge ?? 0 }
	const w = new Float64Array(q * q)
	for (let i = 0; i < q; i++) {
		for (let j = 0; j < q; j++) w[i * q + j] = wins[(active[i] as number) * p + (active[j] as number)] as number
	}
	const connected = stronglyConnected(w, q)
	const lambda = ridge ?? (connected ? 0 : FALLBACK_RIDGE)
	if (lambda === 0 && !connected) {
		throw new RangeError('the maximum-likelihood ratings do not exist: some models never beat the others; use a ridge')
	}

	const t = new Float64Array(q)
	if (start) {
		let mean = 0
		for (let i = 0; i < q; i++)
			mean += t[i] = Number.isFinite(start[active[i] as number]) ? (start[active[i] as number] as number) : 0
		mean /= q
		for (let i = 0; i < q; i++) t[i] = (t[i] as number) - mean
	}

	const objective = (x: Float64Array): number => {
		let f = 0
		for (let i = 0; i < q; i++) {
			for (let j = i + 1; j < q; j++) {
				const wij = w[i * q + j] as number
				const wji = w[j * q + i] as number
				if (wij === 0 && wji === 0) continue
				const d = (x[i] as number) - (x[j] as number)
				if (wij !== 0) f += wij * logSigmoid(d)
				if (wji !== 0) f += wji * logSigmoid(-d)
			}
			f -= (lambda / 2) * (x[i] as number) ** 2
		}
		return f
	}

	const g = new Float64Array(q)
	const h = new Float64Array(q * q)
	const step = new Float64Array(q)
	const trial = new Float64Array(q)
	let f = objective(t)
	for (let iter = 0; iter < 200; iter++) {
		g.fill(0)
		h.fill(0)
		for (let i = 0; i < q; i++) {
			for (let j = i + 1; j < q; j++) {
				const wij = w[i * q + j] as number
				const wji = w[j * q + i] as number
				const nij = wij + wji
				if (nij === 0) continue
				const pij = sigmoid((t[i] as number) - (t[j] as number))
				const s = nij * pij * (1 - pij)
				g[i] = (g[i] as number) + wij - nij * pij
				g[j] = (g[j] as number) + wji - nij * (1 - pij)
				h[i * q + i] = (h[i * q + i] as number) + s
				h[j * q + j] = (h[j * q + j] as number) + s
				h[i * q + j] = (h[i * q + j] as number) - s
				h[j * q + i] = (h[j * q + i] as number) - s
			}
		}
		let diag = 0
		for (let i = 0; i < q; i++) {
			g[i] = (g[i] as number) - lambda * (t[i] as number)
			h[i * q + i] = (h[i * q + i] as number) + lambda
			diag += h[i * q + i] as number
		}
		const c = diag / q > 0 ? diag / q : 1
		for (let i = 0; i < q * q; i++) h[i] = (h[i] as number) + c
		step.set(g)
		choleskySolve(h, step, q)

		let scale = 1
		let next = f
		for (let k = 0; k < 60; k++) {
			for (let i = 0; i < q; i++) trial[i] = (t[i] as number) + scale * (step[i] as number)
			next = objective(trial)
			if (next >= f - 1e-13 * (1 + Math.abs(f))) break
			scale /= 2
		}
		let maxStep = 0
		let maxTheta = 1
		for (let i = 0; i < q; i++) {
			maxStep = Math.max(maxStep, Math.abs(scale * (step[i] as number)))
			maxTheta = Math.max(maxTheta, Math.abs(trial[i] as number))
		}
		t.set(trial)
		f = next
		if (maxStep <= 1e-13 * maxTheta) break
	}

	let mean = 0
	for (let i = 0; i < q; i++) mean += t[i] as number
	mean /= q
	for (let i = 0; i < q; i++) theta[active[i] as number] = (t[i] as number) - mean
	return { theta, ridge: lambda }
}

/** Solves A x = b in place (b becomes x) for a symmetric positive-definite A; A is overwritten. */
function choleskySolve(a: Float64Array, b: Float64Array, n: number): void {
	for (let j = 0; j < n; j++) {
		let d = a[j * n + j] as number
		for (let k = 0; k < j; k++) d -= (a[j * n + k] as number) ** 2
		if (!(d > 0)) d = 1e-300
		const ljj = Math.sqrt(d)
		a[j * n + j] = ljj
		for (let i = j + 1; i < n; i++) {
			let s = a[i * n + j] as number
			for (let k = 0; k < j; k++) s -= (a[i * n + k] as number) * (a[j * n + k] as number)
			a[i * n + j] = s / ljj
		}
	}
	for (let i = 0; i < n; i++) {
		let s = b[i] as number
		for (let k = 0; k < i; k++) s -= (a[i * n + k] as number) * (b[k] as number)
		b[i] = s / (a[i * n + i] as number)
	}
	for (let i = n - 1; i >= 0; i--) {
		let s = b[i] as number
		for (let k = i + 1; k < n; k++) s -= (a[k * n + i] as number) * (b[k] as number)
		b[i] = s / (a[i * n + i] as number)
	}
}

/**
 * The Arena leaderboard: maximum-likelihood ratings on all battles, and percentile bootstrap
 * intervals from `bootstrap` resamples of the battles with replacement (seeded), each drawn as
 * one multinomial over the distinct (pair, outcome) counts. A model missing from a resample is
 * left out of that round. Sorted best first.
 */
export function arenaLeaderboard({
	battles,
	bootstrap = 100,
	seed = 42,
	alpha = 0.05,
}: {
	battles: readonly Battle[]
	bootstrap?: number
	seed?: number
	alpha?: number
}): LeaderboardRow[] {
	if (!Number.isInteger(bootstrap) || bootstrap < 0)
		throw new RangeError(`bootstrap must be a non-negative integer, got ${bootstrap}`)
	if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`)
	const encoded = encodeBattles(battles)
	const { models, a, b, outcome } = encoded
	const p = models.length
	const n = a.length
	const wins = new Float64Array(p * p)
	const perModel = new Float64Array(p)
	for (let i = 0; i < n; i++) {
		addBattle(wins, p, a[i] as number, b[i] as number, outcome[i] as number)
		perModel[a[i] as number] = (perModel[a[i] as number] as number) + 1
		perModel[b[i] as number] = (perModel[b[i] as number] as number) + 1
	}
	const full = fitLogStrengths(wins, p, undefined).theta
	const ratings = toElo(full)

	const samples = new Float64Array(bootstrap * p)
	if (bootstrap > 0 && n > 0) {
		// Resampling n battles with replacement only changes how often each distinct (a, b,
		// outcome) occurs, so each round is one multinomial draw over the observed cells (as
		// FastChat's compute_bootstrap_bt), whatever the number of battles.
		const tally = new Float64Array(p * p * 3)
		for (let i = 0; i < n; i++) {
			const code = ((a[i] as number) * p + (b[i] as number)) * 3 + (outcome[i] as number)
			tally[code] = (tally[code] as number) + 1
		}
		const cells: number[] = []
		for (let code = 0; code < tally.length; code++) if ((tally[code] as number) > 0) cells.push(code)
		const observed = Float64Array.from(cells, (code) => tally[code] as number)
		const drawn = new Float64Array(cells.length)
		const rng = createRng(seed)
		for (let r = 0; r < bootstrap; r++) {
			multinomialSample(rng, n, observed, drawn)
			wins.fill(0)
			for (let c = 0; c < cells.length; c++) {
				const count = drawn[c] as number
				if (count === 0) continue
				const code = cells[c] as number
				const cell = Math.floor(code / 3)
				const x = Math.floor(cell / p)
				const y = cell % p
				const result = code % 3
				if (result === 0) wins[x * p + y] = (wins[x * p + y] as number) + count
				else if (result === 1) wins[y * p + x] = (wins[y * p + x] as number) + count
				else {
					wins[x * p + y] = (wins[x * p + y] as number) + count / 2
					wins[y * p + x] = (wins[y * p + x] as number) + count / 2
				}
			}
			const theta = fitLogStrengths(wins, p, undefined, full).theta
			for (let m = 0; m < p; m++) samples[r * p + m] = ELO_MEAN + ELO_PER_NAT * (theta[m] as number)
		}
	}

	const low = new Float64Array(p)
	const high = new Float64Array(p)
	const column = new Float64Array(bootstrap)
	for (let m = 0; m < p; m++) {
		if (bootstrap === 0) {
			low[m] = high[m] = ratings[m] as number
			continue
		}
		for (let r = 0; r < bootstrap; r++) column[r] = samples[r * p + m] as number
		const sorted = sortedFinite(column)
		low[m] = quantileOfSorted(sorted, alpha / 2)
		high[m] = quantileOfSorted(sorted, 1 - alpha / 2)
	}

	const rows: LeaderboardRow[] = models.map((model, m) => {
		let above = 0
		for (let o = 0; o < p; o++) if ((low[o] as number) > (high[m] as number)) above++
		return {
			model,
			rating: ratings[m] as number,
			ciLow: low[m] as number,
			ciHigh: high[m] as number,
			battles: perModel[m] as number,
			rank: 1 + above,
		}
	})
	return rows.sort((x, y) => y.rating - x.rating || (x.model < y.model ? -1 : 1))
}

/**
 * Empirical win rates: matrix[i][j] is the share of battles between models i and j that i won,
 * a tie or both-bad counting half; null where they never met (and on the diagonal).
 */
export function winRateMatrix({ battles }: { battles: readonly Battle[] }): {
	models: string[]
	matrix: (number | null)[][]
} {
	const { models, wins } = aggregateBattles(battles)
	const p = models.length
	const matrix = models.map((_, i) =>
		models.map((__, j) => {
			const n = (wins[i * p + j] as number) + (wins[j * p + i] as number)
			return i === j || n === 0 ? null : (wins[i * p + j] as number) / n
		}),
	)
	return { models, matrix }
}
