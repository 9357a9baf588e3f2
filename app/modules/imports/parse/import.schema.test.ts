import type { z } from 'zod'
import { describe, expect, test } from 'vitest'
import { canonicalJson } from './canonical-json.ts'
import { CanonicalLineSchema, ChatMessagesSchema, fieldErrorsFromIssues, PairwiseLineSchema } from './import.schema.ts'

function errorsOf(schema: z.ZodType, value: unknown) {
	const result = schema.safeParse(value, { reportInput: true })
	return result.success ? [] : fieldErrorsFromIssues({ issues: result.error.issues })
}

describe('fieldErrorsFromIssues', () => {
	test('paths read like the file: responses[0].content', () => {
		expect(
			errorsOf(CanonicalLineSchema, {
				id: 'x',
				prompt: 'p',
				responses: [{ content: 1 }, { content: 'b', model: false }],
			}),
		).toEqual([
			{ path: 'responses[0].content', message: 'expected a string, got number' },
			{ path: 'responses[1].model', message: 'expected a string, got boolean' },
		])
	})

	test('missing fields and unions say what was expected', () => {
		expect(errorsOf(PairwiseLineSchema, { prompt: { text: 'p' }, response_a: 'a' })).toEqual([
			{ path: 'prompt', message: 'expected a string or a list of chat messages, got object' },
			{ path: 'response_b', message: 'missing (expected a string)' },
		])
	})

	test('a union reports the problems of the branch the input matched', () => {
		expect(errorsOf(PairwiseLineSchema, { prompt: [{ role: 'user' }], response_a: 'a', response_b: 'b' })).toEqual([
			{ path: 'prompt[0].content', message: 'missing (expected a string)' },
		])
	})

	test('a prefix is prepended to every path', () => {
		const result = ChatMessagesSchema.safeParse([{ role: 'user', content: 'x', name: 'bob' }], { reportInput: true })
		expect(fieldErrorsFromIssues({ issues: result.error?.issues ?? [], prefix: ['messages'] })).toEqual([
			{ path: 'messages[0].name', message: 'unknown field' },
		])
	})

	test('sizes are described in items and characters', () => {
		expect(errorsOf(ChatMessagesSchema, [])).toEqual([{ path: '', message: 'must not be empty' }])
		expect(
			errorsOf(PairwiseLineSchema, { prompt: 'p', response_a: 'a', response_b: 'b', gold: { ranking: [] } }),
		).toEqual([{ path: 'gold.ranking', message: 'must not be empty' }])
		expect(
			errorsOf(CanonicalLineSchema, {
				id: 'i'.repeat(300),
				prompt: 'p',
				responses: [{ content: 'a' }, { content: 'b' }],
			}),
		).toEqual([{ path: 'id', message: 'expected at most 256 characters, got 300' }])
	})
})

describe('canonicalJson', () => {
	test('sorts keys at every depth and drops undefined fields', () => {
		expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: 'é' }], c: undefined } })).toBe(
			'{"a":{"d":[2,{"y":"é","z":null}]},"b":1}',
		)
	})
})
