import { describe, expect, test } from 'vitest'
import { fleissKappaFromCounts } from '#app/modules/stats/fleiss.ts'
import { krippendorffAlpha } from '#app/modules/stats/krippendorff.ts'
import { rankingPairAgreement, type Ranking } from '#app/modules/stats/rankings.ts'
import examples from '#tests/fixtures/agreement-examples.json'
import { createAgreementClusters } from './agreement-clusters.ts'
import { bootstrapFigures } from './bootstrap-figures.ts'
import { consensusFor } from './consensus.ts'
import { createFleissClusters } from './fleiss-clusters.ts'
import { pairwiseVoteSummary } from './pairwise-vote-summary.ts'

const k2011 = examples.krippendorff_2011.data as (number | null)[][]
const columns = (data: (number | null)[][]) =>
	data[0]!.map((_, u) => data.map((row) => row[u]).filter((value): value is number => value !== null))

describe('agreement clusters', () => {
	test('the weighted coincidences the bootstrap uses give the stats module alpha, at every level', () => {
		const clusters = createAgreementClusters()
		columns(k2011).forEach((unit, item) => clusters.add([unit], item))
		const everyItemOnce = new Float64Array(11).fill(1)
		for (const level of ['nominal', 'ordinal', 'interval'] as const) {
			const reference = krippendorffAlpha({ data: k2011, level }).alpha
			expect(Math.abs(reference - examples.krippendorff_2011.alpha[level])).toBeLessThan(1e-9)
			expect(Math.abs(clusters.weightedAlpha({ level }) - reference)).toBeLessThan(1e-12)
			expect(Math.abs(clusters.alphaStatistic({ level })(everyItemOnce) - reference)).toBeLessThan(1e-12)
			expect(clusters.alpha({ level })).toEqual({ value: reference, clusters: 11, units: 11 })
		}
		expect(clusters.percentStatistic()(everyItemOnce)).toBeCloseTo(clusters.percent().value, 12)
	})

	test('identical clusters are stored once yet count fully, and the intervals are reproducible', () => {
		const once = createAgreementClusters()
		const twice = createAgreementClusters()
		columns(k2011).forEach((unit, item) => {
			once.add([unit], item)
			twice.add([unit], 2 * item)
			twice.add([unit], 2 * item + 1)
		})
		expect(twice.clusters).toBe(22)
		expect(twice.alpha({ level: 'nominal' }).value).not.toBe(once.alpha({ level: 'nominal' }).value)
		const interval = (clusters: typeof once, items: number) =>
			bootstrapFigures({
				items,
				statistics: [clusters.alphaStatistic({ level: 'interval' }), clusters.percentStatistic()],
				seed: 9,
				rounds: 300,
			})
		const a = interval(twice, 22)
		expect(interval(twice, 22)).toEqual(a)
		expect(a[0]!.rounds).toBe(300)
		expect(a[0]!.low).toBeLessThanOrEqual(twice.alpha({ level: 'interval' }).value)
		expect(a[0]!.high).toBeGreaterThanOrEqual(twice.alpha({ level: 'interval' }).value)
		const b = interval(once, 11)
		expect(a[0]!.high - a[0]!.low).toBeLessThan(b[0]!.high - b[0]!.low)
	})

	test('rankings through implied pairs, clustered by item, match rankingPairAgreement', () => {
		const rankings: Ranking[][] = [
			[
				[['a'], ['b'], ['c']],
				[['a'], ['c'], ['b']],
				[['b'], ['a', 'c']],
			],
			[
				[['c'], ['b'], ['a']],
				[['c'], ['a'], ['b']],
			],
			[[['a', 'b', 'c']], [['a'], ['b'], ['c']], [['a'], ['b'], ['c']]],
			[
				[['b'], ['c'], ['a']],
				[['b'], ['c'], ['a']],
			],
		]
		const reference = rankingPairAgreement({ rankings })
		const clusters = createAgreementClusters()
		for (const item of rankings) {
			const byPair = new Map<string, number[]>()
			for (const ranking of item) {
				const positions = new Map(ranking.flatMap((tier, t) => tier.map((id) => [id, t] as const)))
				const ids = [...positions.keys()].sort()
				for (let i = 0; i < ids.length; i++) {
					for (let j = i + 1; j < ids.length; j++) {
						const key = `${ids[i]}${ids[j]}`
						const value = Math.sign(positions.get(ids[i]!)! - positions.get(ids[j]!)!)
						byPair.set(key, [...(byPair.get(key) ?? []), value])
					}
				}
			}
			clusters.add([...byPair.values()], clusters.clusters)
		}
		const alpha = clusters.alpha({ level: 'nominal' })
		expect(alpha.value).toBeCloseTo(reference.alpha, 12)
		expect(alpha.units).toBe(reference.units)
		expect(clusters.percent().value).toBeCloseTo(reference.percentAgreement, 12)
		expect(clusters.weightedAlpha({ level: 'nominal' })).toBeCloseTo(reference.alpha, 12)
	})

	test("Fleiss' kappa from clusters matches the worked example and uses the most common number of ratings", () => {
		const fleiss = createFleissClusters({ categories: [1, 2, 3, 4, 5] })
		examples.fleiss_wikipedia.counts.forEach((row, item) => {
			fleiss.add([row.flatMap((count, j) => Array.from({ length: count }, () => j + 1))], item)
		})
		fleiss.add([[1, 2]], 10)
		const estimate = fleiss.estimate()!
		expect(estimate.raters).toBe(14)
		expect(estimate.clusters).toBe(10)
		expect(Math.abs(estimate.value - examples.fleiss_wikipedia.kappa)).toBeLessThan(1e-9)
		expect(estimate.value).toBe(fleissKappaFromCounts({ counts: examples.fleiss_wikipedia.counts }))
		const weights = new Float64Array(11).fill(1)
		expect(fleiss.statistic()!(weights)).toBeCloseTo(estimate.value, 12)
		weights[0] = 3
		const resampled = [
			examples.fleiss_wikipedia.counts[0]!,
			examples.fleiss_wikipedia.counts[0]!,
			...examples.fleiss_wikipedia.counts,
		]
		expect(fleiss.statistic()!(weights)).toBeCloseTo(fleissKappaFromCounts({ counts: resampled }), 12)
	})
})

describe('pairwise vote summary', () => {
	test('matches consensusFor on every combination of up to five votes', () => {
		const votes = {
			1: { ranking: [['a'], ['b']], bothBad: false, strength: 2 },
			[-1]: { ranking: [['b'], ['a']], bothBad: false, strength: 1 },
			0: { ranking: [['a', 'b']], bothBad: false, strength: null },
		}
		const combinations = (n: number): number[][] =>
			n === 0 ? [[]] : combinations(n - 1).flatMap((rest) => [1, -1, 0].map((sign) => [...rest, sign]))
		for (let n = 1; n <= 5; n++) {
			for (const signs of combinations(n)) {
				const list = signs.map((sign) => votes[sign as 1 | -1 | 0])
				const summary = pairwiseVoteSummary({ signs })
				expect(summary.disagreement).toBeCloseTo(
					consensusFor({ responseIds: ['a', 'b'], votes: list }).disagreement,
					12,
				)
				signs.forEach((_, i) => {
					const loo = consensusFor({ responseIds: ['a', 'b'], votes: list.filter((__, j) => j !== i) })
					expect(summary.leaveOneOut[i]).toBe(
						consensusFor({ responseIds: ['a', 'b'], votes: [list[i]!], adjudication: loo }).agreement,
					)
				})
			}
		}
	})
})
