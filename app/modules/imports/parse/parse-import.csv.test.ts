import { describe, expect, test } from 'vitest'
import type { TaskType } from '#app/generated/prisma/enums.ts'
import { parseImport } from './parse-import.ts'
import { bytesOf, collect } from './test-helpers.ts'

function parseCsv(
	text: string | Uint8Array,
	{
		taskType = 'ranking',
		chunkSize,
		maxLineBytes,
	}: { taskType?: TaskType; chunkSize?: number; maxLineBytes?: number } = {},
) {
	return collect(parseImport({ format: 'csv', source: bytesOf(text, chunkSize), taskType, maxLineBytes }))
}

const csv = (...rows: string[]) => `${rows.join('\n')}\n`

describe('CSV shapes', () => {
	test('pairwise shorthand with quoted commas, quotes and line breaks', async () => {
		const text = csv(
			'id,prompt,response_a,response_b,model_a,model_b',
			'q1,"Write a list: apples, pears","Sure: ""apples"", ""pears""","- apples',
			'- pears",gpt-4o,llama-3',
			'q2,Plain prompt,A,B,,',
		)
		const { items, errors } = await parseCsv(text)
		expect(errors).toEqual([])
		expect(items).toMatchObject([
			{
				line: 1,
				externalId: 'q1',
				context: { prompt: 'Write a list: apples, pears' },
				responses: [
					{ id: 'r1', model: 'gpt-4o', content: 'Sure: "apples", "pears"' },
					{ id: 'r2', model: 'llama-3', content: '- apples\n- pears' },
				],
				metadata: null,
			},
			{ line: 3, externalId: 'q2', responses: [{ model: null }, { model: null }] },
		])
	})

	test('chosen/rejected columns, with conversational prompts as JSON', async () => {
		const messages = JSON.stringify([
			{ role: 'system', content: 'Be kind.' },
			{ role: 'user', content: 'Hi' },
		]).replaceAll('"', '""')
		const text = csv('prompt,chosen,rejected', `"${messages}",Hello!,Go away.`, '"[not, json] just text",yes,no')
		const { items, errors } = await parseCsv(text)
		expect(errors).toEqual([])
		expect(items[0]).toMatchObject({
			context: {
				messages: [
					{ role: 'system', content: 'Be kind.' },
					{ role: 'user', content: 'Hi' },
				],
			},
			responses: [{ content: 'Hello!' }, { content: 'Go away.' }],
			metadata: { original_preference: { chosen: 'r1', rejected: 'r2' } },
		})
		expect(items[1]?.context).toEqual({ prompt: '[not, json] just text' })
	})

	test('the canonical shape through JSON columns', async () => {
		const cell = (value: unknown) => `"${JSON.stringify(value).replaceAll('"', '""')}"`
		const text = csv(
			'id,messages,responses,metadata,gold',
			[
				'c1',
				cell([{ role: 'user', content: 'Rank these' }]),
				cell([{ content: 'a' }, { content: 'b' }, { id: 'best', content: 'c' }]),
				cell({ split: 'dev' }),
				cell({ ranking: [['best'], ['r1', 'r2']] }),
			].join(','),
			['c2', cell([{ role: 'user', content: 'Pick' }]), cell([{ content: 'a' }, { content: 'b' }]), '', 'r2'].join(','),
		)
		const { items, errors } = await parseCsv(text)
		expect(errors).toEqual([])
		expect(items).toMatchObject([
			{
				externalId: 'c1',
				context: { messages: [{ role: 'user', content: 'Rank these' }] },
				responses: [{ id: 'r1' }, { id: 'r2' }, { id: 'best', content: 'c' }],
				metadata: { split: 'dev' },
				gold: { ranking: [['best'], ['r1', 'r2']] },
			},
			{ externalId: 'c2', metadata: null, gold: { ranking: [['r2'], ['r1']] } },
		])
	})

	test('extra columns become metadata; unnamed columns are ignored', async () => {
		const text = csv(',prompt,response_a,response_b,source', '0,p,a,b,arena', '1,q,a,b,')
		const { items, errors } = await parseCsv(text)
		expect(errors).toEqual([])
		expect(items.map((item) => item.metadata)).toEqual([{ source: 'arena' }, null])
	})

	test('a BOM and CRLF line endings, with CRLF inside quoted fields', async () => {
		const text = '\ufeffprompt,response_a,response_b\r\n"two\r\nlines",a,b\r\n\r\nnext,"x\r\ny\r\nz",c\r\nlast,a,b\r\n'
		const { items, errors } = await parseCsv(text)
		expect(errors).toEqual([])
		expect(items.map((item) => [item.line, item.context, item.responses[0]?.content])).toEqual([
			[1, { prompt: 'two\r\nlines' }, 'a'],
			[4, { prompt: 'next' }, 'x\r\ny\r\nz'],
			[7, { prompt: 'last' }, 'a'],
		])
	})

	test('line numbers are where each record starts, after the header, whatever the chunking', async () => {
		const text = csv(
			'prompt,response_a,response_b',
			'one,a,b',
			'"two',
			'spans',
			'three lines",a,b',
			'',
			'four,"x',
			'",b',
			'five,a,b',
		)
		const expected = [1, 2, 6, 8]
		for (const chunkSize of [1, 3, 7, 1024]) {
			const { items, errors } = await parseCsv(text, { chunkSize })
			expect(errors).toEqual([])
			expect(items.map((item) => item.line)).toEqual(expected)
		}
	})
})

describe('CSV bad input', () => {
	test('bad rows are reported with their line, and the others still parse', async () => {
		const text = csv(
			'id,prompt,response_a,response_b,metadata',
			'a,p,x,y,',
			'b,,x,y,',
			'c,p,x,y,{not json}',
			'a,p2,x,y,',
			'd,p,x,y',
			'e,p,x,"y",,extra',
		)
		const { items, errors } = await parseCsv(text)
		expect(items.map((item) => item.externalId)).toEqual(['a'])
		expect(errors).toEqual([
			{ line: 2, path: 'prompt', message: 'missing (expected a string or a list of chat messages)' },
			{ line: 3, path: 'metadata', message: expect.stringMatching(/^expected JSON in this column: /) },
			{ line: 4, path: 'id', message: 'duplicate id "a": already used on line 1' },
			{ line: 5, path: '', message: 'expected 5 fields as in the header, got 4' },
			{ line: 6, path: '', message: 'expected 5 fields as in the header, got 6' },
		])
	})

	test('invalid UTF-8 in a field names the row and the column', async () => {
		const text = Buffer.concat([
			Buffer.from('prompt,response_a,response_b\nfine,a,b\nbroken,"caf'),
			Buffer.from([0xe9]),
			Buffer.from('",b\n'),
		])
		const { items, errors } = await parseCsv(text)
		expect(items).toHaveLength(1)
		expect(errors).toEqual([
			{ line: 2, path: 'response_a', message: 'invalid UTF-8 at byte 4 of the field; save the file as UTF-8' },
		])
	})

	test('a header without item columns, or with a repeated column, fails the file', async () => {
		expect(await parseCsv(csv('question,answer', 'q,a'))).toEqual({
			items: [],
			errors: [{ line: 0, path: '', message: expect.stringContaining('has none of the columns an item needs') }],
		})
		expect(await parseCsv(csv('prompt,response_a,response_a', 'p,a,b'))).toEqual({
			items: [],
			errors: [{ line: 0, path: '', message: 'the header names the column "response_a" twice' }],
		})
	})

	test('an empty file, and a header without rows', async () => {
		expect(await parseCsv('')).toEqual({ items: [], errors: [{ line: 0, path: '', message: 'the file is empty' }] })
		expect(await parseCsv('\ufeff\r\n\r\n')).toEqual({
			items: [],
			errors: [{ line: 0, path: '', message: 'the file is empty' }],
		})
		expect(await parseCsv('prompt,response_a,response_b\r\n')).toEqual({
			items: [],
			errors: [{ line: 0, path: '', message: 'the file has a header row but no data rows' }],
		})
	})

	test('an unclosed quote is reported at the record where it opens, and ends the read', async () => {
		const text = csv('prompt,response_a,response_b', 'ok,a,b', '', 'bad,"never closed,b', 'more,a,b')
		const { items, errors } = await parseCsv(text)
		expect(items.map((item) => item.line)).toEqual([1])
		expect(errors).toEqual([
			{
				line: 3,
				path: '',
				message: 'a quoted field opened in this record is never closed; the rest of the file was not read',
			},
		])
	})

	test('a record over the line limit ends the read without buffering the rest', async () => {
		const text = csv('prompt,response_a,response_b', 'ok,a,b', `long,"${'x'.repeat(500)}",b`, 'more,a,b')
		const { items, errors } = await parseCsv(text, { maxLineBytes: 100, chunkSize: 32 })
		expect(items.map((item) => item.line)).toEqual([1])
		expect(errors).toEqual([
			{
				line: 2,
				path: '',
				message:
					'the record is longer than the limit of 100 bytes (an unclosed quote can cause this); the rest of the file was not read',
			},
		])
	})

	test('a pairwise project refuses a canonical row with three responses', async () => {
		const responses = JSON.stringify([{ content: 'a' }, { content: 'b' }, { content: 'c' }]).replaceAll('"', '""')
		const { errors } = await parseCsv(csv('id,prompt,responses', `x,p,"${responses}"`), { taskType: 'pairwise' })
		expect(errors).toEqual([
			{ line: 1, path: 'responses', message: 'a pairwise project needs exactly 2 responses, got 3' },
		])
	})
})
