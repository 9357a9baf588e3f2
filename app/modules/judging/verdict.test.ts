import { describe, expect, test } from 'vitest'
import { combineVerdicts } from './combine-verdicts.ts'
import { DEFAULT_JUDGE_TEMPLATE, renderJudgePrompt } from './judge-template.ts'
import { parseVerdict, verdictResponseFormat } from './verdict.ts'

const pairwise = { taskType: 'pairwise' as const, useStrength: true }
const ranking = { taskType: 'ranking' as const, useStrength: false }
const pair = (text: string) => parseVerdict({ text, keys: ['r1', 'r2'], rules: pairwise })
const three = (text: string) => parseVerdict({ text, keys: ['x', 'y', 'z'], rules: ranking })

describe('parseVerdict', () => {
	test('bare JSON maps labels to the keys shown', () => {
		expect(pair('{"ranking": [["B"], ["A"]], "strength": 2, "confidence": 0.9, "rationale": "B is right"}')).toEqual({
			ok: true,
			verdict: { ranking: [['r2'], ['r1']], strength: 2, confidence: 0.9, rationale: 'B is right' },
		})
	})

	test('code fences, think blocks and prose around the JSON', () => {
		const text = [
			'<think>A looks longer {"ranking": [["A"], ["B"]]} but wait</think>',
			'Here is my verdict:',
			'```json',
			'{"ranking": [["b"], ["a"]], "confidence": 85}',
			'```',
			'Thanks!',
		].join('\n')
		expect(pair(text)).toEqual({ ok: true, verdict: { ranking: [['r2'], ['r1']], confidence: 0.85 } })
		expect(pair('Sure. {"winner": "Response A", "strength": "clear"} Hope that helps.')).toEqual({
			ok: true,
			verdict: { ranking: [['r1'], ['r2']], strength: 2 },
		})
	})

	test('flat rankings, winners and tie words', () => {
		expect(pair('{"ranking": ["B", "A"]}')).toMatchObject({ ok: true, verdict: { ranking: [['r2'], ['r1']] } })
		expect(pair('{"winner": "tie", "strength": 3}')).toEqual({ ok: true, verdict: { ranking: [['r1', 'r2']] } })
		expect(pair('{"ranking": [["A", "b"]]}')).toMatchObject({ ok: true, verdict: { ranking: [['r1', 'r2']] } })
		expect(pair('Tie')).toMatchObject({ ok: true, verdict: { ranking: [['r1', 'r2']] } })
		expect(pair('[[B]]')).toMatchObject({ ok: true, verdict: { ranking: [['r2'], ['r1']] } })
		expect(pair('[[C]]')).toMatchObject({ ok: true, verdict: { ranking: [['r1', 'r2']] } })
		expect(pair('a')).toMatchObject({ ok: true, verdict: { ranking: [['r1'], ['r2']] } })
		expect(pair('Both are fine, but Response B is clearly better.')).toMatchObject({
			ok: true,
			verdict: { ranking: [['r2'], ['r1']] },
		})
		expect(pair('Verdict: A')).toMatchObject({ ok: true, verdict: { ranking: [['r1'], ['r2']] } })
		// Prose is read only as "Response X is better"; anything looser fails rather than guess, since
		// a wrong guess that agrees with itself in both orders would be stored as a judgment.
		expect(pair('Compared with Response A, Response B is better.')).toMatchObject({
			ok: true,
			verdict: { ranking: [['r2'], ['r1']] },
		})
		for (const answer of ['Response A is not better than Response B.', 'I would prefer a shorter answer overall.'])
			expect(pair(answer)).toMatchObject({ ok: false })
	})

	test('ranking projects: tiers, "B > A > C" and missing labels', () => {
		expect(three('{"ranking": [["C"], ["a", "B"]]}')).toEqual({ ok: true, verdict: { ranking: [['z'], ['x', 'y']] } })
		expect(three('B > C > A')).toMatchObject({ ok: true, verdict: { ranking: [['y'], ['z'], ['x']] } })
		expect(three('{"ranking": ["B", "C"]}')).toEqual({ ok: false, reason: 'the ranking leaves out A' })
		expect(three('{"ranking": ["B", "C", "B", "A"]}')).toEqual({ ok: false, reason: 'the ranking names B twice' })
		expect(three('{"ranking": ["B", "D", "A"]}')).toMatchObject({ ok: false, reason: expect.stringContaining('"D"') })
		// Strength is pairwise only.
		expect(three('{"ranking": ["B", "C", "A"], "strength": 2}')).toEqual({
			ok: true,
			verdict: { ranking: [['y'], ['z'], ['x']] },
		})
	})

	test('unparseable answers say why', () => {
		expect(pair('')).toEqual({ ok: false, reason: 'the answer is empty (or only reasoning)' })
		expect(pair('<think>hmm, which one')).toEqual({ ok: false, reason: 'the answer is empty (or only reasoning)' })
		expect(pair('I cannot decide between these two answers, they are both interesting.')).toMatchObject({
			ok: false,
			reason: expect.stringContaining('no verdict found'),
		})
		expect(pair('{"score": 7}')).toMatchObject({ ok: false, reason: expect.stringContaining('"ranking"') })
		expect(pair('{"ranking": [["A"], ["B"]')).toMatchObject({ ok: false })
		// A JSON object without a verdict, then a plain one: the plain one counts.
		expect(pair('Scores: {"helpfulness": 7}\n\nFinal verdict: [[B]]')).toMatchObject({
			ok: true,
			verdict: { ranking: [['r2'], ['r1']] },
		})
		expect(pair('{"confidence": 2000, "ranking": "Z"}')).toMatchObject({ ok: false })
	})

	test('a stated confidence is read in numbers, percentages or words; one that cannot be read is 0, never sure', () => {
		const confidence = (value: string) => {
			const parsed = pair(`{"ranking": ["A", "B"], "confidence": ${value}}`)
			return parsed.ok ? parsed.verdict.confidence : 'failed'
		}
		expect(confidence('0.7')).toBe(0.7)
		expect(confidence('"85%"')).toBe(0.85)
		expect(confidence('"low"')).toBe(0.25)
		expect(confidence('"high"')).toBe(0.9)
		expect(confidence('250')).toBe(0)
		expect(confidence('"somewhat sure"')).toBe(0)
		expect(pair('{"ranking": ["A", "B"]}')).toEqual({ ok: true, verdict: { ranking: [['r1'], ['r2']] } })
	})
})

describe('combineVerdicts', () => {
	test('agreeing orders keep the ranking and the lower confidence and strength', () => {
		expect(
			combineVerdicts({
				keys: ['r1', 'r2'],
				first: { ranking: [['r2'], ['r1']], strength: 3, confidence: 0.9 },
				second: { ranking: [['r2'], ['r1']], strength: 1, confidence: 0.7 },
			}),
		).toEqual({ ranking: [['r2'], ['r1']], positionInconsistent: false, strength: 1, confidence: 0.7, rationale: null })
	})

	test('disagreeing orders become one tie tier, marked', () => {
		expect(
			combineVerdicts({
				keys: ['r1', 'r2', 'r3'],
				first: { ranking: [['r1'], ['r2'], ['r3']] },
				second: { ranking: [['r3'], ['r2'], ['r1']], confidence: 0.6 },
			}),
		).toEqual({
			ranking: [['r1', 'r2', 'r3']],
			positionInconsistent: true,
			strength: null,
			confidence: 0.6,
			rationale: null,
		})
	})
})

test('the default template fills every placeholder and asks for strength only where used', () => {
	const prompt = renderJudgePrompt({
		template: DEFAULT_JUDGE_TEMPLATE,
		input: {
			taskType: 'pairwise',
			useStrength: true,
			guidelines: 'Prefer correct answers.',
			criteria: [{ name: 'Accuracy', description: 'Facts are right' }],
			context: { prompt: 'What is 2 + 2?' },
			responses: [{ content: '4' }, { content: '5' }],
		},
	})
	expect(prompt).not.toMatch(/\{\{/)
	expect(prompt).toContain('Prefer correct answers.')
	expect(prompt).toContain('- Accuracy: Facts are right')
	expect(prompt).toContain('[Response A]\n4\n[End of Response A]')
	expect(prompt).toContain('"strength"')
	expect(verdictResponseFormat({ count: 3, ...ranking }).json_schema.schema.properties).not.toHaveProperty('strength')
})
