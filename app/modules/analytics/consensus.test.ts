import { describe, expect, test } from 'vitest'
import { createRng } from '../stats/prng.ts'
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
		const result = consensusFor({
			responseIds: ['a', 'b'],
			votes: [vote([['a'], ['b']], 3), vote([['a'], ['b']], 1), vote([['b'], ['a']], 2)],
		})
		expect(result.ranking).toEqual([['a'], ['b']])
		expect(result.strength).toBe(1)
		expect(result.agreement).toBeCloseTo(2 / 3)
		expect(result.disagreement).toBeCloseTo(1 / 3)
	})

	test('a split vote is a tie; a majority of both-bad is both-bad', () => {
		expect(
			consensusFor({ responseIds: ['a', 'b'], votes: [vote([['a'], ['b']]), vote([['b'], ['a']])] }).ranking,
		).toEqual([['a', 'b']])
		const bad = consensusFor({
			responseIds: ['a', 'b'],
			votes: [vote([['a', 'b']], null, true), vote([['a', 'b']], null, true), vote([['a'], ['b']])],
		})
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
		const result = consensusFor({
			responseIds: ['a', 'b'],
			votes: [vote([['a'], ['b']])],
			adjudication: { ranking: [['b'], ['a']], bothBad: false, strength: 2 },
		})
		expect(result).toMatchObject({ ranking: [['b'], ['a']], adjudicated: true, agreement: 0 })
	})
})

/** The pairwise rule as written in the module comment, vote by vote: the reference the fast path must match. */
function referencePairwise({
	votes,
	adjudication,
}: {
	votes: ReturnType<typeof vote>[]
	adjudication: ReturnType<typeof vote> | null
}) {
	const sign = (v: ReturnType<typeof vote>) =>
		Math.sign(signedPreference({ vote: { ...v, strength: null }, first: 'a', second: 'b' }))
	const signs = votes.map(sign)
	const count = (s: number) => signs.filter((x) => x === s).length
	let target: number
	let result: { ranking: string[][]; bothBad: boolean; strength: number | null }
	if (adjudication) {
		target = sign(adjudication)
		result = adjudication
	} else {
		const best = Math.max(count(1), count(-1), count(0))
		const winners = [1, -1, 0].filter((s) => count(s) === best)
		target = winners.length === 1 ? winners[0]! : 0
		const strengths = votes
			.filter((v, i) => signs[i] === target && target !== 0 && v.strength !== null)
			.map((v) => v.strength!)
			.sort((x, y) => x - y)
		result = {
			ranking: target === 1 ? [['a'], ['b']] : target === -1 ? [['b'], ['a']] : [['a', 'b']],
			bothBad: target === 0 && votes.filter((v) => v.bothBad).length * 2 > votes.length,
			strength: strengths.length ? strengths[Math.floor((strengths.length - 1) / 2)]! : null,
		}
	}
	const agreement = votes.length ? count(target) / votes.length : null
	return {
		...result,
		agreement,
		disagreement: agreement === null ? 0 : 1 - agreement,
		adjudicated: adjudication !== null,
		votes: votes.length,
	}
}

test('pairwise consensus matches the vote-by-vote rule on random items', () => {
	const rng = createRng(7)
	const pick = <T>(options: T[]) => options[rng.nextInt(options.length)]!
	const randomVote = () =>
		pick([
			() => vote([['a'], ['b']], pick([0, 1, 2, 3, null])),
			() => vote([['b'], ['a']], pick([0, 1, 2, 3, null])),
			() => vote([['a', 'b']], null),
			() => vote([['a', 'b']], null, true),
			() => vote([['b', 'a']], null, true),
		])()
	for (let round = 0; round < 2000; round++) {
		const votes = Array.from({ length: rng.nextInt(7) }, randomVote)
		const adjudication = rng.nextFloat() < 0.2 ? randomVote() : null
		if (votes.length === 0 && !adjudication) continue
		expect(consensusFor({ responseIds: ['a', 'b'], votes, adjudication }), `round ${round}`).toEqual(
			referencePairwise({ votes, adjudication }),
		)
	}
})
