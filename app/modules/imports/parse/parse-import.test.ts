import { describe, expect, test } from 'vitest'
import { parseImport } from './parse-import.ts'
import { collect } from './test-helpers.ts'

const rows = {
	jsonl: (index: number) => `${JSON.stringify({ prompt: `p${index}`, response_a: 'a', response_b: 'b' })}\n`,
	csv: (index: number) => (index === 0 ? 'prompt,response_a,response_b\n' : `p${index},a,b\n`),
}

describe.each(['jsonl', 'csv'] as const)('%s streams', (format) => {
	test('an error from the source reaches the caller', async () => {
		async function* failing() {
			yield Buffer.from(rows[format](0) + rows[format](1))
			throw new Error('connection reset')
		}
		await expect(collect(parseImport({ format, source: failing(), taskType: 'pairwise' }))).rejects.toThrow(
			'connection reset',
		)
	})

	test('a caller that stops early closes the source', async () => {
		let closed = false
		let produced = 0
		async function* endless() {
			try {
				for (;;) {
					yield Buffer.from(rows[format](produced))
					produced += 1
				}
			} finally {
				closed = true
			}
		}
		let seen = 0
		for await (const parsed of parseImport({ format, source: endless(), taskType: 'pairwise' })) {
			expect(parsed).toHaveProperty('item')
			seen += 1
			if (seen === 3) break
		}
		expect(closed).toBe(true)
		expect(produced).toBeLessThan(10)
	})
})
