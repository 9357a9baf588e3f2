import { describe, expect, test } from 'vitest'
import { normalizedPromptKey, splitFor, splitValue } from './split.ts'

describe('splitFor', () => {
	test('normalizes NFC, surrounding and inner whitespace and case before hashing', () => {
		const a = normalizedPromptKey({ prompt: '  Cafe\u0301  au\n\tLAIT ' })
		const b = normalizedPromptKey({ prompt: 'café au lait' })
		expect(a).toBe(b)
	})

	test('a prompt and the same single user turn share a split key; roles and turns matter', () => {
		const prompt = normalizedPromptKey({ prompt: 'Hello' })
		expect(normalizedPromptKey({ messages: [{ role: 'user', content: ' hello ' }] })).toBe(prompt)
		expect(normalizedPromptKey({ messages: [{ role: 'system', content: 'Hello' }] })).not.toBe(prompt)
		expect(
			normalizedPromptKey({
				messages: [
					{ role: 'system', content: 'Be brief.' },
					{ role: 'user', content: 'Hello' },
				],
			}),
		).not.toBe(prompt)
	})

	test('is deterministic for a seed, changes with the seed, and stays within [0, 1)', () => {
		const context = { prompt: 'What is the capital of France?' }
		const value = splitValue({ context, seed: 'a' })
		expect(splitValue({ context, seed: 'a' })).toBe(value)
		expect(value).toBeGreaterThanOrEqual(0)
		expect(value).toBeLessThan(1)
		expect(splitValue({ context, seed: 'b' })).not.toBe(value)
	})

	test('test: 0 puts everything in train, test: 1 everything in test', () => {
		const contexts = Array.from({ length: 50 }, (_, i) => ({ prompt: `prompt ${i}` }))
		expect(new Set(contexts.map((context) => splitFor({ context, split: { test: 0, seed: 1 } })))).toEqual(
			new Set(['train']),
		)
		expect(new Set(contexts.map((context) => splitFor({ context, split: { test: 1, seed: 1 } })))).toEqual(
			new Set(['test']),
		)
	})

	test('sends about the requested share of prompts to test', () => {
		const contexts = Array.from({ length: 2000 }, (_, i) => ({ prompt: `question number ${i}` }))
		const test = contexts.filter((context) => splitFor({ context, split: { test: 0.2, seed: 'share' } }) === 'test')
		expect(test.length / contexts.length).toBeGreaterThan(0.17)
		expect(test.length / contexts.length).toBeLessThan(0.23)
	})
})
