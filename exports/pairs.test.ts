import { describe, expect, test } from 'vitest'
import { sourceJudgments } from '#tests/fixtures/exports/judgments.ts'
import { impliedPairs, marginFor, pairsUnderTiePolicy } from './pairs.ts'
import type { SkipCounts, SourceJudgment } from './types.ts'

function fixture(externalId: string): SourceJudgment {
	const found = sourceJudgments.find((judgment) => judgment.externalId === externalId)
	if (!found) throw new Error(`no fixture ${externalId}`)
	return found
}

describe('impliedPairs', () => {
	test('a 4-way ranking with a tied tier implies all C(4,2) pairs, best first', () => {
		const pairs = impliedPairs({ judgment: fixture('rank-4') }).map(
			(pair) => `${pair.chosen.id}${pair.tie ? '=' : '>'}${pair.rejected.id}`,
		)
		expect(pairs).toEqual(['a>b', 'a>c', 'a>d', 'b=c', 'b>d', 'c>d'])
	})

	test('a pairwise both-bad is one tied, both-bad pair', () => {
		expect(impliedPairs({ judgment: fixture('both-bad') })).toMatchObject([{ tie: true, bothBad: true }])
	})

	test('rejects rankings that name unknown or repeated responses', () => {
		const judgment = fixture('capital')
		expect(() => impliedPairs({ judgment: { ...judgment, ranking: [['r1'], ['zz']] } })).toThrow(/"zz"/)
		expect(() => impliedPairs({ judgment: { ...judgment, ranking: [['r1'], ['r1']] } })).toThrow(/twice/)
	})
})

describe('pairsUnderTiePolicy', () => {
	test('drop counts and removes ties and both-bad; raw keeps them', () => {
		const skipped: SkipCounts = {}
		expect(pairsUnderTiePolicy({ judgment: fixture('rank-4'), ties: 'drop', skipped })).toHaveLength(5)
		expect(pairsUnderTiePolicy({ judgment: fixture('both-bad'), ties: 'drop', skipped })).toHaveLength(0)
		expect(skipped).toEqual({ tie: 1, 'both-bad': 1 })
		const kept: SkipCounts = {}
		expect(pairsUnderTiePolicy({ judgment: fixture('rank-4'), ties: 'raw', skipped: kept })).toHaveLength(6)
		expect(kept).toEqual({})
	})
})

describe('marginFor', () => {
	const capital = fixture('capital')
	const [pair] = impliedPairs({ judgment: capital })

	test.each([
		[0, 0, 0],
		[1, 1 / 3, 1],
		[2, 2 / 3, 2],
		[3, 1, 3],
	])('strength %i maps to Llama 2 small %f and large %i', (strength, small, large) => {
		const judgment = { ...capital, strength }
		expect(marginFor({ judgment, pair: pair!, margin: 'llama2-small' })).toBe(small)
		expect(marginFor({ judgment, pair: pair!, margin: 'llama2-large' })).toBe(large)
	})

	test('is null without a pairwise strength, 0 for a tie, and rejects strengths off the scale', () => {
		const rank4 = fixture('rank-4')
		const rankPairs = impliedPairs({ judgment: rank4 })
		expect(marginFor({ judgment: rank4, pair: rankPairs[0]!, margin: 'llama2-small' })).toBeNull()
		expect(marginFor({ judgment: rank4, pair: rankPairs[3]!, margin: 'llama2-small' })).toBe(0)
		expect(marginFor({ judgment: { ...capital, strength: null }, pair: pair!, margin: 'llama2-large' })).toBeNull()
		expect(() => marginFor({ judgment: { ...capital, strength: 4 }, pair: pair!, margin: 'llama2-large' })).toThrow(
			/strength/,
		)
	})
})
