import { describe, expect, it } from 'vitest'
import {
	DEMO_GUIDELINES_PAIRWISE,
	DEMO_GUIDELINES_RANKING,
	DEMO_MODELS,
	demoPairwiseItems,
	demoRankingItems,
	type DemoItem,
} from './demo-content.ts'

const pairwise = demoPairwiseItems()
const ranking = demoRankingItems()

const promptKey = (item: DemoItem) =>
	'prompt' in item.context ? item.context.prompt : (item.context.messages.at(-1)?.content ?? '')
const allText = (item: DemoItem) =>
	[
		...('prompt' in item.context ? [item.context.prompt] : item.context.messages.map((m) => m.content)),
		...item.responses.map((r) => r.content),
	].join('\n')
const hasControlChars = (text: string) => [...text].some((ch) => ch.charCodeAt(0) < 32 && ch !== '\n' && ch !== '\t')
const someResponse = (items: DemoItem[], test: (content: string) => boolean) =>
	items.some((item) => item.responses.some((r) => test(r.content)))

describe('demo content', () => {
	it('has the expected counts and response shapes', () => {
		expect(pairwise.length).toBeGreaterThanOrEqual(210)
		expect(ranking.length).toBeGreaterThanOrEqual(40)
		for (const item of pairwise) expect(item.responses.map((r) => r.id)).toEqual(['r1', 'r2'])
		for (const item of ranking) expect(item.responses.map((r) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4'])
	})

	it('uses unique external ids and unique prompts', () => {
		const ids = [...pairwise, ...ranking].map((item) => item.externalId)
		expect(new Set(ids).size).toBe(ids.length)
		expect(new Set(pairwise.map(promptKey)).size).toBe(pairwise.length)
		expect(new Set(ranking.map(promptKey)).size).toBe(ranking.length)
	})

	it('is deterministic', () => {
		expect(demoPairwiseItems()).toEqual(pairwise)
		expect(demoRankingItems()).toEqual(ranking)
	})

	it('has non-empty responses from distinct known models', () => {
		for (const item of [...pairwise, ...ranking]) {
			for (const r of item.responses) {
				expect(r.content.trim().length, item.externalId).toBeGreaterThan(0)
				expect(DEMO_MODELS).toContain(r.model)
			}
			expect(new Set(item.responses.map((r) => r.model)).size, item.externalId).toBe(item.responses.length)
		}
	})

	it('spreads models and wins across the pairwise set', () => {
		const appearances = new Map<string, number>()
		for (const item of pairwise)
			for (const r of item.responses) appearances.set(r.model, (appearances.get(r.model) ?? 0) + 1)
		for (const model of DEMO_MODELS) expect(appearances.get(model) ?? 0).toBeGreaterThan(40)
	})

	it('builds valid chat contexts', () => {
		for (const item of [...pairwise, ...ranking]) {
			if ('prompt' in item.context) {
				expect(item.context.prompt.trim().length).toBeGreaterThan(0)
				continue
			}
			const messages = item.context.messages
			expect(messages.at(-1)?.role, item.externalId).toBe('user')
			const turns = messages.filter((m) => m.role !== 'system')
			turns.forEach((m, i) => expect(m.role, item.externalId).toBe(i % 2 === 0 ? 'user' : 'assistant'))
			messages.forEach((m, i) => m.role === 'system' && expect(i).toBe(0))
		}
		const multiTurn = pairwise.filter((item) => 'messages' in item.context && item.context.messages.length >= 4)
		expect(multiTurn.length / pairwise.length).toBeGreaterThanOrEqual(0.3)
		expect(ranking.some((item) => 'messages' in item.context)).toBe(true)
	})

	it('covers every rendering feature', () => {
		expect(someResponse(pairwise, (c) => /^<think>\n[\s\S]+?\n<\/think>\n\n\S/.test(c))).toBe(true)
		expect(
			pairwise.filter((item) => item.responses.some((r) => r.content.startsWith('<think>'))).length,
		).toBeGreaterThanOrEqual(5)
		expect(someResponse(pairwise, (c) => c.includes('|---'))).toBe(true)
		for (const lang of ['python', 'ts', 'sql', 'rust', 'bash'])
			expect(someResponse(pairwise, (c) => c.includes('```' + lang + '\n'))).toBe(true)
		expect(someResponse(pairwise, (c) => c.includes('$$'))).toBe(true)
		expect(someResponse(pairwise, (c) => /(^|[^$])\$[^$\s][^$\n]*\$/.test(c))).toBe(true)
		expect(pairwise.some((item) => 'messages' in item.context && item.context.messages[0]?.role === 'system')).toBe(
			true,
		)
		expect(pairwise.some((item) => /[\u0590-\u05FF\u0600-\u06FF]/.test(allText(item)))).toBe(true)
		expect(pairwise.some((item) => /\p{Extended_Pictographic}/u.test(allText(item)))).toBe(true)
		expect(pairwise.some((item) => /\S{600,}/.test(allText(item)))).toBe(true)
		expect(
			someResponse(pairwise, (c) => c.length >= 1500 && c.length <= 4000 && (c.match(/^#{2,3} /gm) ?? []).length >= 3),
		).toBe(true)
		expect(someResponse(pairwise, (c) => c.length < 80 && !c.includes('\n'))).toBe(true)
	})

	it('contains exactly one hostile item with the payload in r2 only', () => {
		const hostile = pairwise.filter((item) => item.externalId === 'demo-pw-hostile')
		expect(hostile).toHaveLength(1)
		const [r1, r2] = hostile[0]!.responses
		for (const payload of [
			"<script>alert('xss')</script>",
			'<img src=x onerror="alert(1)">',
			'[click me](javascript:alert(1))',
			'<iframe src="https://example.com"></iframe>',
			'<a href="#" onclick="steal()">link</a>',
			'<style>body{display:none}</style>',
		]) {
			expect(r2!.content).toContain(payload)
			expect(r1!.content).not.toContain(payload)
		}
		const others = [...pairwise, ...ranking].filter((item) => item.externalId !== 'demo-pw-hostile')
		expect(others.some((item) => allText(item).includes('<script>'))).toBe(false)
	})

	it('keeps markdown well-formed', () => {
		for (const item of [...pairwise, ...ranking]) {
			for (const text of [allText(item), ...item.responses.map((r) => r.content)]) {
				expect(hasControlChars(text), item.externalId).toBe(false)
				expect(text, item.externalId).not.toContain('\\`')
				expect((text.match(/^```/gm) ?? []).length % 2, item.externalId).toBe(0)
				expect((text.match(/\$\$/g) ?? []).length % 2, item.externalId).toBe(0)
				expect(text, item.externalId).not.toMatch(/\[object Object\]/)
			}
			if (item.metadata?.topic === 'math' || item.metadata?.topic === 'reasoning') {
				expect(allText(item), item.externalId).not.toMatch(/undefined|NaN|Infinity/)
			}
		}
	})

	it('exports annotator guidelines', () => {
		for (const guide of [DEMO_GUIDELINES_PAIRWISE, DEMO_GUIDELINES_RANKING]) {
			const lines = guide.trim().split('\n').length
			expect(lines).toBeGreaterThanOrEqual(40)
			expect(lines).toBeLessThanOrEqual(90)
			expect(guide).toMatch(/^# /)
		}
		expect(DEMO_GUIDELINES_PAIRWISE).toMatch(/tie/i)
		expect(DEMO_GUIDELINES_PAIRWISE).toMatch(/both bad/i)
	})
})
