import { describe, expect, test } from 'vitest'
import { consensusFor, signedPreference } from './consensus.ts'

const vote = (ranking: string[][], strength: number | null = 2, bothBad = false) => ({ ranking, strength, bothBad })

describe('signedPreference', () => {
	test('maps choice and strength onto −3..+3 relative to the first response', () => {
		expect(signedPreference({ vote: vote([['a'], ['b']], 3), first: 'a', second: 'b' })).toBe(3)
		expect(signedPreference({ vote: vote([['b'], ['a']], 1), first: 'a', second: 'b' })).toBe(-1)
		expect(signedPreference({ vote: vote([['a'], ['b']], 0), first: 'a', second: 'b' })).toBe(0)
		expect(signedPreference({ vote: vote([['a', 'b']], null), first: 'a', second: 'b' })).toBe(0)
		expect(signedPreference({ vote: vote([['a', 'b']], null, true), first: 'a', second: 'b' })).toBe(0)
	})
})

describe('consensusFor', () => {
	test('pairwise majority with its agreement and median strength', () => {
		const result = consensusFor({ responseIds: ['a', 'b'], votes: [vote([['a'], ['b']], 3), vote([['a'], ['b']], 1), vote([['b'], ['a']], 2)] })
		expect(result.ranking).toEqual([['a'], ['b']])
		expect(result.strength).toBe(1)
		expect(result.agreement).toBeCloseTo(2 / 3)
		expect(result.disagreement).toBeCloseTo(1 / 3)
	})

	test('a split vote is a tie; a majority of both-bad is both-bad', () => {
		expect(consensusFor({ responseIds: ['a', 'b'], votes: [vote([['a'], ['b']]), vote([['b'], ['a']])] }).ranking).toEqual([['a', 'b']])
		const bad = consensusFor({ responseIds: ['a', 'b'], votes: [vote([['a', 'b']], null, true), vote([['a', 'b']], null, true), vote([['a'], ['b']])] })
		expect(bad.bothBad).toBe(true)
	})

	test('rankings combine by mean rank and keep ties', () => {
		const result = consensusFor({
			responseIds: ['a', 'b', 'c'],
			votes: [vote([['a'], ['b'], ['c']], null), vote([['b'], ['a'], ['c']], null)],
		})
		expect(result.ranking).toEqual([['a', 'b'], ['c']])
	})

	test('an adjudication wins and is marked', () => {
		const result = consensusFor({ responseIds: ['a', 'b'], votes: [vote([['a'], ['b']])], adjudication: { ranking: [['b'], ['a']], bothBad: false, strength: 2 } })
		expect(result).toMatchObject({ ranking: [['b'], ['a']], adjudicated: true, agreement: 0 })
	})
})
