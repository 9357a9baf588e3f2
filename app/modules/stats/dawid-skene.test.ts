import { describe, expect, test } from 'vitest'
import { dawidSkene, dawidSkeneColumnar, majorityVote, type DawidSkeneResult } from './dawid-skene.ts'
import { createRng } from './prng.ts'

type Matrix = (number | null)[][]

/** Written straight from the definition, with nested arrays and no shortcuts, to check the fast one. */
function reference(data: Matrix, K: number, gold: (number | null)[] = []) {
	const a = 0.01
	const O = data.length
	const U = data[0]!.length
	const labelledBy = (u: number) =>
		data.map((row, o) => ({ o, l: row[u] })).filter((x): x is { o: number; l: number } => x.l !== null)
	const labelled = Array.from({ length: U }, (_, u) => labelledBy(u).length > 0)
	const isGold = (u: number) => gold[u] !== undefined && gold[u] !== null
	let T: number[][] = Array.from({ length: U }, (_, u) => {
		if (isGold(u)) return Array.from({ length: K }, (_, k) => (k === gold[u] ? 1 : 0))
		const votes = labelledBy(u)
		return Array.from({ length: K }, (_, k) =>
			votes.length ? votes.filter((v) => v.l === k).length / votes.length : 0,
		)
	})
	const mStep = (T: number[][]) => {
		const used = T.filter((_, u) => labelled[u])
		const prior = Array.from({ length: K }, (_, k) => (used.reduce((s, t) => s + t[k]!, 0) + a) / (used.length + K * a))
		const conf = Array.from({ length: O }, (_, o) =>
			Array.from({ length: K }, (_, k) => {
				let denominator = K * a
				for (let u = 0; u < U; u++) if (data[o]![u] !== null) denominator += T[u]![k]!
				return Array.from({ length: K }, (_, l) => {
					let numerator = a
					for (let u = 0; u < U; u++) if (data[o]![u] === l) numerator += T[u]![k]!
					return numerator / denominator
				})
			}),
		)
		return { prior, conf }
	}
	let iterations = 0
	let converged = false
	while (iterations < 1000) {
		const { prior, conf } = mStep(T)
		const next = T.map((old, u) => {
			if (isGold(u) || !labelled[u]) return old
			const logs = prior.map(
				(p, k) => Math.log(p) + labelledBy(u).reduce((s, { o, l }) => s + Math.log(conf[o]![k]![l]!), 0),
			)
			const top = Math.max(...logs)
			const weights = logs.map((x) => Math.exp(x - top))
			const total = weights.reduce((s, w) => s + w, 0)
			return weights.map((w) => w / total)
		})
		const delta = Math.max(0, ...next.flatMap((row, u) => row.map((x, k) => Math.abs(x - T[u]![k]!))))
		T = next
		iterations++
		if (delta < 1e-9) {
			converged = true
			break
		}
	}
	const { prior, conf } = mStep(T)
	T = T.map((row, u) => (labelled[u] || isGold(u) ? row : prior))
	const labels = T.map((row) => row.indexOf(Math.max(...row)))
	return {
		prior,
		conf,
		T,
		labels,
		confidence: T.map((row) => Math.max(...row)),
		reliability: conf.map((c) => prior.reduce((s, p, k) => s + p * c[k]![k]!, 0)),
		iterations,
		converged,
	}
}

function randomCase(seed: number) {
	const rng = createRng(seed)
	const K = 2 + rng.nextInt(3)
	const O = 2 + rng.nextInt(5)
	const U = 3 + rng.nextInt(25)
	const truth = Array.from({ length: U }, () => rng.nextInt(K))
	const accuracy = Array.from({ length: O }, () => 0.3 + 0.7 * rng.nextFloat())
	const data: Matrix = Array.from({ length: O }, (_, o) =>
		truth.map((t) => {
			if (rng.nextFloat() < 0.3) return null
			return rng.nextFloat() < accuracy[o]! ? t : rng.nextInt(K)
		}),
	)
	const gold = truth.map((t) => (rng.nextFloat() < 0.15 ? t : null))
	return { data, K, gold: seed % 3 === 0 ? undefined : gold }
}

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 1e-6) {
	expect(actual.length).toBe(expected.length)
	for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(digits)
}

function compare(result: DawidSkeneResult, expected: ReturnType<typeof reference>) {
	expect(result.iterations).toBe(expected.iterations)
	expect(result.converged).toBe(expected.converged)
	expectClose(result.prior, expected.prior)
	expectClose(result.posterior, expected.T.flat())
	expectClose(result.confusion, expected.conf.flat(2))
	expectClose(result.reliability, expected.reliability)
	expectClose(result.confidence, expected.confidence)
	expect(Array.from(result.labels)).toEqual(expected.labels)
}

describe('Dawid–Skene', () => {
	test('matches a direct implementation of the definition on random cases to 1e-6', () => {
		for (let seed = 1; seed <= 40; seed++) {
			const { data, K, gold } = randomCase(seed)
			compare(dawidSkene({ data, classes: K, gold }), reference(data, K, gold))
		}
	})

	test('gold units stay one-hot on their gold label, whatever the votes say', () => {
		const data = [
			[0, 0, 1, 1],
			[0, 0, 1, 1],
			[0, 1, 1, 0],
		]
		const gold = [1, null, null, null]
		const result = dawidSkene({ data, classes: 2, gold })
		expect(Array.from(result.posterior.slice(0, 2))).toEqual([0, 1])
		expect(result.labels[0]).toBe(1)
		expect(result.confidence[0]).toBe(1)
		compare(result, reference(data, 2, gold))
	})

	test('units nobody labelled get the prior; a gold unit nobody labelled keeps its gold label', () => {
		const data = [
			[0, 0, 1, null, null],
			[0, 1, 1, null, null],
			[0, 0, 1, null, null],
		]
		const result = dawidSkene({ data, classes: 3, gold: [null, null, null, null, 2] })
		expectClose(result.posterior.slice(9, 12), Array.from(result.prior))
		expect(result.labels[3]).toBe(0)
		expect(Array.from(result.posterior.slice(12, 15))).toEqual([0, 0, 1])
		// The two unlabelled units enter no sum: U is 3.
		const a = 0.01
		const T = result.posterior
		expect(result.prior[2]).toBeCloseTo((T[2]! + T[5]! + T[8]! + a) / (3 + 3 * a), 12)
	})

	test('a spammer gets a low reliability, near chance, and careful annotators a high one', () => {
		const rng = createRng(7)
		const U = 400
		const truth = Array.from({ length: U }, () => rng.nextInt(4))
		const careful = (accuracy: number) => truth.map((t) => (rng.nextFloat() < accuracy ? t : rng.nextInt(4)))
		const data = [careful(0.9), careful(0.85), careful(0.8), careful(0.9), truth.map(() => rng.nextInt(4))]
		const result = dawidSkene({ data, classes: 4 })
		expect(result.converged).toBe(true)
		for (let o = 0; o < 4; o++) expect(result.reliability[o]).toBeGreaterThan(0.75)
		expect(result.reliability[4]).toBeLessThan(0.35)
		expect(result.reliability[4]! - result.chance[4]!).toBeLessThan(0.05)
		expect(result.reliability[0]! - result.chance[0]!).toBeGreaterThan(0.5)
		const correct = truth.filter((t, u) => result.labels[u] === t).length
		expect(correct / U).toBeGreaterThan(0.95)
	})

	test('lowest class on ties; the same input always gives the same numbers', () => {
		const result = majorityVote({ data: [[0], [1]], classes: 2 })
		expect(result.labels[0]).toBe(0)
		expect(result.confidence[0]).toBe(0.5)
		const { data, K, gold } = randomCase(11)
		const first = dawidSkene({ data, classes: K, gold })
		const second = dawidSkene({ data, classes: K, gold })
		expect(Array.from(second.posterior)).toEqual(Array.from(first.posterior))
		expect(Array.from(second.confusion)).toEqual(Array.from(first.confusion))
		expect(second.iterations).toBe(first.iterations)
	})

	test('the columnar form takes judgments in any order', () => {
		const { data, K, gold } = randomCase(5)
		const triples: [number, number, number][] = []
		data.forEach((row, o) => row.forEach((l, u) => l !== null && triples.push([o, u, l])))
		triples.reverse()
		const result = dawidSkeneColumnar({
			observers: data.length,
			units: data[0]!.length,
			classes: K,
			observer: triples.map((t) => t[0]),
			unit: triples.map((t) => t[1]),
			label: triples.map((t) => t[2]),
			gold,
		})
		compare(result, reference(data, K, gold))
	})

	test('majority vote: vote shares, gold one-hot, one M-step', () => {
		const data = [
			[0, 1, 2],
			[0, 1, null],
			[1, 2, null],
		]
		const result = majorityVote({ data, classes: 3, gold: [null, null, 0] })
		expect(result.iterations).toBe(0)
		expectClose(result.posterior, [2 / 3, 1 / 3, 0, 0, 2 / 3, 1 / 3, 1, 0, 0])
		expect(Array.from(result.labels)).toEqual([0, 1, 0])
	})

	test('bad judgments are refused', () => {
		expect(() => dawidSkene({ data: [[0, 3]], classes: 3 })).toThrow(/label 3 is not a class 0..2/)
		expect(() => dawidSkene({ data: [[0, 1]], classes: 2, gold: [null, 2] })).toThrow(/gold\[1\]/)
	})
})
