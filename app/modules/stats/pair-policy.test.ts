import { describe, expect, test } from 'vitest'
import { activePairProbabilities, bradleyTerryCovariance, modelPairs } from './pair-policy.ts'

/** Wins from expected outcomes: n battles per pair, split by the Bradley–Terry probability. */
function expectedWins(strengths: number[], n: number | ((i: number, j: number) => number)) {
	const p = strengths.length
	const wins = new Float64Array(p * p)
	for (const [i, j] of modelPairs(p)) {
		const count = typeof n === 'number' ? n : n(i, j)
		const prob = 1 / (1 + Math.exp((strengths[j] as number) - (strengths[i] as number)))
		wins[i * p + j] = count * prob
		wins[j * p + i] = count * (1 - prob)
	}
	return wins
}

describe('pair policy', () => {
	test('the covariance is the mean-zero inverse of the Fisher information', () => {
		const strengths = [-1, 0, 0.5, 1.2]
		const wins = expectedWins(strengths, 100)
		const { theta, covariance } = bradleyTerryCovariance({ wins, models: 4, ridge: 0 })
		theta.forEach((t, i) => expect(t).toBeCloseTo((strengths[i] as number) - 0.175, 6))
		// Rows sum to zero (the ratings are mean-zero), and C·I·C = C.
		for (let i = 0; i < 4; i++)
			expect([0, 1, 2, 3].reduce((s, j) => s + (covariance[i * 4 + j] as number), 0)).toBeCloseTo(0, 10)
		const info = new Float64Array(16)
		for (const [i, j] of modelPairs(4)) {
			const prob = 1 / (1 + Math.exp((theta[j] as number) - (theta[i] as number)))
			const w = 100 * prob * (1 - prob)
			info[i * 4 + i]! += w
			info[j * 4 + j]! += w
			info[i * 4 + j]! -= w
			info[j * 4 + i]! -= w
		}
		const product = (x: Float64Array, y: Float64Array) => {
			const out = new Float64Array(16)
			for (let i = 0; i < 4; i++)
				for (let j = 0; j < 4; j++)
					for (let k = 0; k < 4; k++) out[i * 4 + j]! += (x[i * 4 + k] as number) * (y[k * 4 + j] as number)
			return out
		}
		const cic = product(product(covariance, info), covariance)
		cic.forEach((value, k) => expect(value).toBeCloseTo(covariance[k] as number, 8))
	})

	test('a close, rarely sampled pair is preferred; every pair keeps the floor; probabilities sum to 1', () => {
		// Models 0 and 1 are close and met rarely.
		const strengths = [0, 0.1, 0.3, 0.6]
		const wins = expectedWins(strengths, (i, j) => (i === 0 && j === 1 ? 5 : 200))
		const probabilities = activePairProbabilities({ wins, models: 4, floor: 0.2 })
		const pairs = modelPairs(4)
		const of = (i: number, j: number) => probabilities[pairs.findIndex(([x, y]) => x === i && y === j)] as number
		expect(probabilities.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12)
		for (const value of probabilities) expect(value).toBeGreaterThanOrEqual(0.2 / pairs.length)
		expect(of(0, 1)).toBe(Math.max(...probabilities))
		expect(
			activePairProbabilities({ wins: new Float64Array(16), models: 4 }).every((x) => Math.abs(x - 1 / 6) < 1e-12),
		).toBe(true)
	})

	test('an outlying model is measured against its nearest neighbour, not the farthest model', () => {
		// Model 3 is far above the rest, so its rating is the least certain; a battle with model 2
		// (p ≈ 0.93) teaches more about it than one with model 0 (p ≈ 0.95).
		const strengths = [0, 0.2, 0.4, 3]
		const probabilities = activePairProbabilities({ wins: expectedWins(strengths, 200), models: 4, floor: 0 })
		const pairs = modelPairs(4)
		const of = (i: number, j: number) => probabilities[pairs.findIndex(([x, y]) => x === i && y === j)] as number
		expect(of(2, 3)).toBe(Math.max(...probabilities))
		expect(of(2, 3)).toBeGreaterThan(of(0, 3))
	})
})
