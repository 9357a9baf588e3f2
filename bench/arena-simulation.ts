// The arena benchmark's simulation: planted ratings, simulated annotators who judge by
// Bradley–Terry plus a length and a first-position preference, and a pair policy (uniform or
// active) choosing each battle. Battles are added until the mean width of the leaderboard's 95%
// intervals falls under the target. It runs the statistics the product runs (arenaLeaderboard,
// activePairProbabilities, controlledLeaderboard) in process, not yet through the claim.
import { arenaLeaderboard } from '#app/modules/stats/bradley-terry.ts'
import { activePairProbabilities, modelPairs } from '#app/modules/stats/pair-policy.ts'
import { createRng, type Rng } from '#app/modules/stats/prng.ts'
import { controlledLeaderboard, type ControlledBattle } from '#app/modules/stats/style-control.ts'

export type ArenaPolicy = 'uniform' | 'active'

export type ArenaSetup = {
	models: number
	/** Planted Elo ratings are spread evenly over this range. */
	spread: number
	/** Log-odds per unit of (tokens_a − tokens_b) / (tokens_a + tokens_b + 1). */
	lengthEffect: number
	/** Log-odds for the answer shown first. */
	positionEffect: number
	tieRate: number
	targetWidth: number
	/** Battles between checks of the interval width and refreshes of the active policy. */
	checkEvery: number
	maxBattles: number
}

export const ARENA_SETUP: ArenaSetup = {
	models: 12,
	spread: 600,
	lengthEffect: 1,
	positionEffect: 0.2,
	tieRate: 0.1,
	targetWidth: 40,
	checkEvery: 250,
	maxBattles: 200_000,
}

/** Elo ratings spread evenly over `spread` around 1000. */
export function plantedRatings(setup: ArenaSetup = ARENA_SETUP): number[] {
	const p = setup.models
	return Array.from({ length: p }, (_, i) => 1000 - setup.spread / 2 + (setup.spread * i) / (p - 1))
}

export function spearman(x: number[], y: number[]): number {
	const rank = (v: number[]) => {
		const order = v.map((value, i) => [value, i] as const).sort((a, b) => a[0] - b[0])
		const r = new Array<number>(v.length)
		order.forEach(([, i], k) => (r[i] = k))
		return r
	}
	const rx = rank(x)
	const ry = rank(y)
	const n = x.length
	const d2 = rx.reduce((s, r, i) => s + (r - (ry[i] as number)) ** 2, 0)
	return 1 - (6 * d2) / (n * (n * n - 1))
}

function pick(rng: Rng, probabilities: Float64Array): number {
	let u = rng.nextFloat()
	for (let k = 0; k < probabilities.length; k++) {
		u -= probabilities[k] as number
		if (u < 0) return k
	}
	return probabilities.length - 1
}

export type ArenaRun = {
	policy: ArenaPolicy
	battles: number
	meanWidth: number
	spearman: number
	reached: boolean
	data: ControlledBattle[]
	truth: number[]
}

export function simulateArena({
	policy,
	seed,
	setup = ARENA_SETUP,
}: {
	policy: ArenaPolicy
	seed: number
	setup?: ArenaSetup
}): ArenaRun {
	const rng = createRng(seed)
	const p = setup.models
	const truth = plantedRatings(setup)
	// Each model has its own verbosity, so length is confounded with the model as in real arenas.
	const verbosity = Array.from({ length: p }, () => 150 + rng.nextInt(500))
	const names = Array.from({ length: p }, (_, i) => `model-${String(i).padStart(2, '0')}`)
	const pairs = modelPairs(p)
	let probabilities: Float64Array = Float64Array.from(pairs, () => 1 / pairs.length)
	const wins = new Float64Array(p * p)
	const data: ControlledBattle[] = []
	let meanWidth = Number.POSITIVE_INFINITY
	let correlation = 0
	while (data.length < setup.maxBattles) {
		for (let t = 0; t < setup.checkEvery; t++) {
			const [x, y] = pairs[pick(rng, probabilities)] as [number, number]
			const [a, b] = rng.nextFloat() < 0.5 ? [x, y] : [y, x]
			const tokensA = Math.max(1, Math.round((verbosity[a] as number) * (0.5 + rng.nextFloat())))
			const tokensB = Math.max(1, Math.round((verbosity[b] as number) * (0.5 + rng.nextFloat())))
			const aFirst = rng.nextFloat() < 0.5
			const logit =
				(Math.log(10) * ((truth[a] as number) - (truth[b] as number))) / 400 +
				setup.lengthEffect * ((tokensA - tokensB) / (tokensA + tokensB + 1)) +
				setup.positionEffect * (aFirst ? 1 : -1)
			// Ties are likelier between close answers, and a tie counts half, so P(a) + tie / 2 stays σ(logit).
			const sigma = 1 / (1 + Math.exp(-logit))
			const tie = setup.tieRate * 4 * sigma * (1 - sigma)
			const u = rng.nextFloat()
			const winner = u < tie ? 'tie' : u < sigma + tie / 2 ? 'model_a' : 'model_b'
			if (winner === 'model_a') wins[a * p + b] = (wins[a * p + b] as number) + 1
			else if (winner === 'model_b') wins[b * p + a] = (wins[b * p + a] as number) + 1
			else {
				wins[a * p + b] = (wins[a * p + b] as number) + 0.5
				wins[b * p + a] = (wins[b * p + a] as number) + 0.5
			}
			const style = (tokens: number) => ({
				tokens,
				headers: rng.nextInt(3),
				lists: rng.nextInt(6),
				bold: rng.nextInt(4),
			})
			data.push({
				model_a: names[a] as string,
				model_b: names[b] as string,
				winner,
				styleA: style(tokensA),
				styleB: style(tokensB),
				aFirst,
			})
		}
		const rows = arenaLeaderboard({ battles: data, bootstrap: 100, seed })
		meanWidth = rows.reduce((s, row) => s + (row.ciHigh - row.ciLow), 0) / rows.length
		const byName = new Map(rows.map((row) => [row.model, row.rating]))
		correlation = spearman(
			truth,
			names.map((name) => byName.get(name) ?? 0),
		)
		if (meanWidth < setup.targetWidth)
			return { policy, battles: data.length, meanWidth, spearman: correlation, reached: true, data, truth }
		if (policy === 'active') probabilities = activePairProbabilities({ wins, models: p })
	}
	return { policy, battles: data.length, meanWidth, spearman: correlation, reached: false, data, truth }
}

/**
 * Whether style and position control recover the planted effects: the true standardized
 * coefficient (the planted log-odds times the feature's standard deviation over the battles)
 * inside the reported 95% interval, for length and for position.
 */
export function styleRecovery({ run, setup = ARENA_SETUP, seed }: { run: ArenaRun; setup?: ArenaSetup; seed: number }) {
	const lengthRaw = run.data.map(
		(battle) => (battle.styleA!.tokens - battle.styleB!.tokens) / (battle.styleA!.tokens + battle.styleB!.tokens + 1),
	)
	const positionRaw = run.data.map((battle) => (battle.aFirst ? 1 : -1))
	const sd = (values: number[]) => {
		const mean = values.reduce((s, v) => s + v, 0) / values.length
		return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length)
	}
	const result = controlledLeaderboard({ battles: run.data, style: true, position: true, bootstrap: 100, seed })
	const coefficient = (feature: string) => result.coefficients.find((c) => c.feature === feature)!
	const check = (feature: 'length' | 'position', truth: number) => {
		const c = coefficient(feature)
		return {
			truth,
			value: c.value,
			ciLow: c.ciLow,
			ciHigh: c.ciHigh,
			inside: c.ciLow !== null && c.ciHigh !== null && c.ciLow <= truth && truth <= c.ciHigh,
		}
	}
	const length = check('length', setup.lengthEffect * sd(lengthRaw))
	const position = check('position', setup.positionEffect * sd(positionRaw))
	return { length, position, recovered: length.inside && position.inside }
}
