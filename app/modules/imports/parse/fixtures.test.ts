import { createReadStream } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { detectFormat } from './detect-format.ts'
import { parseImport } from './parse-import.ts'
import { collect } from './test-helpers.ts'

const fixture = (name: string) => fileURLToPath(new URL(`../../../../tests/fixtures/imports/${name}`, import.meta.url))

function parseFixture(name: string) {
	const format = detectFormat({ filename: name })
	if (format === 'parquet') throw new Error('no Parquet fixtures are committed')
	return collect(parseImport({ format, source: createReadStream(fixture(name)), taskType: 'pairwise' }))
}

describe('committed import fixtures', () => {
	test('good.jsonl holds every shape and parses cleanly into a pairwise project', async () => {
		const { items, errors } = await parseFixture('good.jsonl')
		expect(errors).toEqual([])
		expect(items.map((item) => item.externalId)).toEqual([
			'capital-france',
			'haiku-chat',
			'fizzbuzz',
			expect.stringMatching(/^sha256:[0-9a-f]{16}$/),
			'hh-0001',
			expect.stringMatching(/^sha256:[0-9a-f]{16}$/),
		])
		expect(items.filter((item) => item.gold !== null)).toHaveLength(2)
		expect(items[4]?.metadata).toEqual({ source: 'helpfulness', original_preference: { chosen: 'r1', rejected: 'r2' } })
	})

	test('re-reading good.jsonl gives the same ids and hashes', async () => {
		const first = await parseFixture('good.jsonl')
		const second = await parseFixture('good.jsonl')
		expect(second.items.map((item) => [item.externalId, item.contentHash])).toEqual(
			first.items.map((item) => [item.externalId, item.contentHash]),
		)
	})

	test('shorthand.csv keeps quoted commas, quotes and line breaks', async () => {
		const { items, errors } = await parseFixture('shorthand.csv')
		expect(errors).toEqual([])
		expect(items.map((item) => [item.line, item.externalId])).toEqual([
			[1, 'csv-1'],
			[2, 'csv-2'],
			[3, 'csv-3'],
			[5, 'csv-4'],
		])
		expect(items[1]?.responses.map((response) => response.content)).toEqual([
			'He said "To be, or not to be".',
			'"Hello, world"',
		])
		expect(items[2]?.responses[0]?.content).toBe('1. Boil water.\n2. Steep the tea for three minutes.')
		expect(items[3]?.responses.map((response) => response.model)).toEqual([null, null])
	})

	test('bad-lines.jsonl has exactly three bad lines', async () => {
		const { items, errors } = await parseFixture('bad-lines.jsonl')
		expect(items.map((item) => item.externalId)).toEqual(['ok-1', 'ok-2', 'ok-3'])
		expect(errors).toEqual([
			{ line: 2, path: '', message: expect.stringMatching(/^invalid JSON/) },
			{ line: 4, path: 'prompt', message: 'missing (expected a string or a list of chat messages)' },
			{ line: 5, path: 'id', message: 'duplicate id "ok-1": already used on line 1' },
		])
	})
})
