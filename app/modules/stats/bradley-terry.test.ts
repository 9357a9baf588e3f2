import { describe, expect, test } from 'vitest'
import examples from '#tests/fixtures/agreement-examples.json'
import {
	aggregateBattles,
	arenaLeaderboard,
	bradleyTerry,
	bradleyTerryFromCounts,
	winRateMatrix,
	type Battle,
} from './bradley-terry.ts'
import { quantileOfSorted, sortedFinite } from './descriptive.ts'
import { createRng } from './prng.ts'

const baseball = examples.bradley_terry_baseball
const teams = [...new Set(baseball.data.flatMap((row) => [row[0] as string, row[1] as string]))].sort()

function baseballWins(): number[][] {
	const index = new Map(teams.map((t, i) => [t, i] as const))
	const wins = teams.map(() => new Array<number>(teams.length).fill(0))
	for (const [home, away, homeWins, awayWins] of baseball.data) {
		const h = index.get(home as string) as number
		const a = index.get(away as string) as number
		;(wins[h] as number[])[a] = ((wins[h] as number[])[a] as number) + (homeWins as number)
		;(wins[a] as number[])[h] = ((wins[a] as number[])[h] as number) + (awayWins as number)
	}
	return wins
}

function baseballBattles(): Battle[] {
	const battles: Battle[] = []
	for (const [home, away, homeWins, awayWins] of baseball.data) {
		for (let i = 0; i < (homeWins as number); i++)
			battles.push({ model_a: home as string, model_b: away as string, winner: 'model_a' })
		for (let i = 0; i < (awayWins as number); i++)
			battles.push({ model_a: home as string, model_b: away as string, winner: 'model_b' })
	}
	return battles
}

const LN10 = Math.log(10)

describe('Bradley-Terry on the 1987 AL East (BradleyTerry2 baseball, home advantage ignored)', () => {
	test('Elo-scale ratings with mean 1000 match to 1e-3', () => {
		const fit = bradleyTerryFromCounts({ models: teams, wins: baseballWins() })
		expect(fit.ridge).toBe(0)
		teams.forEach((team, i) => {
			const expected = baseball.elo_scale_mean_1000[team as keyof typeof baseball.elo_scale_mean_1000]
			expect(Math.abs((fit.ratings[i] as number) - expected)).toBeLessThan(1e-3)
		})
	})

	test('log-abilities against Baltimore match BradleyTerry2 (printed to 10 decimals, compared to 1e-9)', () => {
		const fit = bradleyTerryFromCounts({ models: teams, wins: baseballWins() })
		const base = fit.logStrengths[teams.indexOf('Baltimore')] as number
		for (const [team, expected] of Object.entries(baseball.log_ability_vs_Baltimore)) {
			expect(Math.abs((fit.logStrengths[teams.indexOf(team)] as number) - base - expected)).toBeLessThan(1e-9)
		}
	})

	test('BradleyTerry2 log-abilities converted (x 400 / ln 10, centred on 1000) match the ratings to 1e-3', () => {
		const logAbility = (team: string) => (baseball.log_ability_vs_Baltimore as Record<string, number>)[team] ?? 0
		const meanLog = teams.reduce((s, t) => s + logAbility(t), 0) / teams.length
		const fit = bradleyTerry({ battles: baseballBattles() })
		expect(fit.models).toEqual(teams)
		teams.forEach((team, i) => {
			const expected = 1000 + (400 / LN10) * (logAbility(team) - meanLog)
			expect(Math.abs((fit.ratings[i] as number) - expected)).toBeLessThan(1e-3)
		})
	})
})

/** Hunter's (2004) MM iterations, a different algorithm for the same maximum. */
function mmRatings(wins: number[][]): number[] {
	const p = wins.length
	let pi = new Array<number>(p).fill(1)
	for (let iter = 0; iter < 20_000; iter++) {
		const next = pi.map((_, i) => {
			let w = 0
			let d = 0
			for (let j = 0; j < p; j++) {
				if (i === j) continue
				const n = (wins[i]?.[j] as number) + (wins[j]?.[i] as number)
				w += wins[i]?.[j] as number
				if (n > 0) d += n / ((pi[i] as number) + (pi[j] as number))
			}
			return w / d
		})
		const g = Math.exp(next.reduce((s, x) => s + Math.log(x), 0) / p)
		pi = next.map((x) => x / g)
	}
	return pi.map((x) => 1000 + (400 / LN10) * Math.log(x))
}

describe('fit', () => {
	test('agrees with an independent MM fit on random battles with ties', () => {
		const rng = createRng(17)
		const models = ['m0', 'm1', 'm2', 'm3', 'm4']
		const strength = [0, 0.5, 1, -0.7, 0.2]
		const battles: Battle[] = []
		for (let i = 0; i < 3000; i++) {
			const a = rng.nextInt(5)
			const b = (a + 1 + rng.nextInt(4)) % 5
			const pa = 1 / (1 + Math.exp((strength[b] as number) - (strength[a] as number)))
			const u = rng.nextFloat()
			const winner = u < 0.1 ? (u < 0.05 ? 'tie' : 'tie (bothbad)') : rng.nextFloat() < pa ? 'model_a' : 'model_b'
			battles.push({ model_a: models[a] as string, model_b: models[b] as string, winner })
		}
		const { wins } = aggregateBattles(battles)
		const matrix = models.map((_, i) => models.map((__, j) => wins[i * 5 + j] as number))
		const expected = mmRatings(matrix)
		const fit = bradleyTerry({ battles })
		fit.ratings.forEach((r, i) => expect(Math.abs(r - (expected[i] as number))).toBeLessThan(1e-6))
		expect(fit.ratings.reduce((s, r) => s + r, 0) / 5).toBeCloseTo(1000, 9)
	})

	test('a tie and a both-bad count as half a win to each side', () => {
		const ties = bradleyTerry({
			battles: [
				{ model_a: 'a', model_b: 'b', winner: 'model_a' },
				{ model_a: 'a', model_b: 'b', winner: 'tie' },
				{ model_a: 'b', model_b: 'a', winner: 'tie (bothbad)' },
				{ model_a: 'b', model_b: 'a', winner: 'model_a' },
				{ model_a: 'a', model_b: 'b', winner: 'model_a' },
			],
		})
		// a: 2 + 0.5 + 0.5 = 3 wins, b: 1 + 1 = 2 -> rating gap 400 log10(3 / 2)
		expect((ties.ratings[0] as number) - (ties.ratings[1] as number)).toBeCloseTo(400 * Math.log10(1.5), 9)
	})

	test('a model that never lost gets a finite, top rating through the fallback prior', () => {
		const fit = bradleyTerry({
			battles: [
				{ model_a: 'x', model_b: 'y', winner: 'model_a' },
				{ model_a: 'x', model_b: 'y', winner: 'model_a' },
				{ model_a: 'y', model_b: 'z', winner: 'model_a' },
				{ model_a: 'z', model_b: 'y', winner: 'model_a' },
			],
		})
		expect(fit.ridge).toBeGreaterThan(0)
		for (const r of fit.ratings) expect(Number.isFinite(r)).toBe(true)
		expect(fit.ratings[0]).toBeGreaterThan(fit.ratings[1] as number)
		expect(fit.ratings[0]).toBeGreaterThan(fit.ratings[2] as number)
	})

	test('groups never compared are each centred on 1000', () => {
		const fit = bradleyTerry({
			battles: [
				{ model_a: 'a', model_b: 'b', winner: 'model_a' },
				{ model_a: 'a', model_b: 'b', winner: 'model_b' },
				{ model_a: 'a', model_b: 'b', winner: 'model_a' },
				{ model_a: 'c', model_b: 'd', winner: 'model_b' },
				{ model_a: 'c', model_b: 'd', winner: 'model_a' },
				{ model_a: 'c', model_b: 'd', winner: 'model_b' },
			],
		})
		const [a, b, c, d] = Array.from(fit.ratings)
		expect(((a as number) + (b as number)) / 2).toBeCloseTo(1000, 9)
		expect(((c as number) + (d as number)) / 2).toBeCloseTo(1000, 9)
		expect(a).toBeGreaterThan(b as number)
		expect(d).toBeGreaterThan(c as number)
	})

	test('battles of a model against itself are ignored', () => {
		const battles: Battle[] = [
			{ model_a: 'a', model_b: 'b', winner: 'model_a' },
			{ model_a: 'b', model_b: 'a', winner: 'model_a' },
		]
		const withSelf = [...battles, { model_a: 'a', model_b: 'a', winner: 'model_a' } as const]
		expect(bradleyTerry({ battles: withSelf }).ratings).toEqual(bradleyTerry({ battles }).ratings)
	})
})

describe('leaderboard', () => {
	test('bootstrap intervals are reproducible with a seed and ranks follow non-overlap', () => {
		const battles = baseballBattles()
		const a = arenaLeaderboard({ battles, bootstrap: 50, seed: 1 })
		const b = arenaLeaderboard({ battles, bootstrap: 50, seed: 1 })
		const c = arenaLeaderboard({ battles, bootstrap: 50, seed: 2 })
		expect(a).toEqual(b)
		expect(a.map((r) => r.ciLow)).not.toEqual(c.map((r) => r.ciLow))
		expect(a.map((r) => r.model)).toEqual([
			'Milwaukee',
			'Detroit',
			'Toronto',
			'New York',
			'Boston',
			'Cleveland',
			'Baltimore',
		])
		for (const row of a) {
			expect(row.battles).toBe(78)
			expect(row.ciLow).toBeLessThanOrEqual(row.ciHigh)
			expect(row.rank).toBe(1 + a.filter((other) => other.ciLow > row.ciHigh).length)
		}
		expect(Math.abs((a[0]?.rating as number) - baseball.elo_scale_mean_1000.Milwaukee)).toBeLessThan(1e-3)
	})

	test('the multinomial bootstrap spreads ratings as redrawing every battle does', () => {
		// The reference redraws each battle with replacement and refits; the leaderboard draws the
		// (pair, outcome) counts at once. Both sample the same distribution, so their 95%
		// intervals agree up to Monte Carlo error (a few percent of the width with 1000 rounds).
		const battles = baseballBattles()
		const rounds = 1000
		const rng = createRng(5)
		const reference = new Map<string, number[]>(teams.map((team) => [team, []]))
		for (let r = 0; r < rounds; r++) {
			const sample = Array.from({ length: battles.length }, () => battles[rng.nextInt(battles.length)] as Battle)
			const fit = bradleyTerry({ battles: sample })
			fit.models.forEach((model, m) => reference.get(model)?.push(fit.ratings[m] as number))
		}
		const rows = arenaLeaderboard({ battles, bootstrap: rounds, seed: 9 })
		for (const row of rows) {
			const sorted = sortedFinite(Float64Array.from(reference.get(row.model) as number[]))
			const low = quantileOfSorted(sorted, 0.025)
			const high = quantileOfSorted(sorted, 0.975)
			const width = high - low
			expect((row.ciHigh - row.ciLow) / width).toBeGreaterThan(0.85)
			expect((row.ciHigh - row.ciLow) / width).toBeLessThan(1.15)
			expect(Math.abs(row.ciLow - low)).toBeLessThan(0.1 * width)
			expect(Math.abs(row.ciHigh - high)).toBeLessThan(0.1 * width)
		}
	})

	test('without bootstrap the interval collapses to the rating', () => {
		const rows = arenaLeaderboard({ battles: baseballBattles(), bootstrap: 0 })
		for (const row of rows) {
			expect(row.ciLow).toBe(row.rating)
			expect(row.ciHigh).toBe(row.rating)
		}
	})
})

describe('win-rate matrix', () => {
	test('share of wins with ties as half, null where models never met', () => {
		const { models, matrix } = winRateMatrix({
			battles: [
				{ model_a: 'a', model_b: 'b', winner: 'model_a' },
				{ model_a: 'b', model_b: 'a', winner: 'tie' },
				{ model_a: 'b', model_b: 'c', winner: 'model_b' },
			],
		})
		expect(models).toEqual(['a', 'b', 'c'])
		expect(matrix).toEqual([
			[null, 0.75, null],
			[0.25, null, 0],
			[null, 1, null],
		])
	})
})
