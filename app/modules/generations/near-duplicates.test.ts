import { expect, test } from 'vitest'
import { isNearDuplicate, similarity } from './near-duplicates.ts'

test('answers equal after whitespace and case normalization are duplicates', () => {
	expect(similarity('The  answer is\n42.', 'the answer IS 42.')).toBe(1)
	expect(isNearDuplicate('Hello world', ' hello   WORLD ', 0.9)).toBe(true)
})

test('a one-word change in a long answer is a near-duplicate; a different answer is not', () => {
	const base =
		'To reverse a list in Python, call reversed() on it or use slicing with a step of minus one, which returns a new list.'
	expect(similarity(base, base.replace('new list', 'new lists'))).toBeGreaterThanOrEqual(0.9)
	expect(
		isNearDuplicate(base, 'Use list.reverse() to reverse in place; it returns None and changes the original.', 0.9),
	).toBe(false)
})

test('reasoning blocks are ignored when comparing answers', () => {
	expect(similarity('<think>first idea</think>Paris.', '<think>other idea entirely</think>paris.')).toBe(1)
})
