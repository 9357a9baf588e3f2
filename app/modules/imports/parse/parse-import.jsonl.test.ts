import { describe, expect, test } from 'vitest'
import type { TaskType } from '#app/generated/prisma/enums.ts'
import { parseImport } from './parse-import.ts'
import { bytesOf, collect, jsonLines } from './test-helpers.ts'
import type { ParseImportOptions } from './parse-import.ts'

type JsonlOptions = Omit<Extract<ParseImportOptions, { format: 'jsonl' | 'csv' }>, 'format' | 'source' | 'taskType'>

function parseJsonl(
	text: string | Uint8Array,
	{ taskType = 'ranking', ...options }: JsonlOptions & { taskType?: TaskType } = {},
) {
	return collect(parseImport({ format: 'jsonl', source: bytesOf(text), taskType, ...options }))
}

const pair = { prompt: 'Why is the sky blue?', response_a: 'Rayleigh scattering.', response_b: 'Because it is.' }

const canonical = (overrides: Record<string, unknown> = {}) => ({
	id: 'item-1',
	prompt: 'Say hi',
	responses: [{ content: 'Hi!' }, { content: 'Hello.' }],
	...overrides,
})

describe('JSONL shapes', () => {
	test('a canonical line with a prompt gets default response ids and null fields', async () => {
		const { items, errors } = await parseJsonl(jsonLines(canonical()))
		expect(errors).toEqual([])
		expect(items).toEqual([
			{
				line: 1,
				externalId: 'item-1',
				context: { prompt: 'Say hi' },
				responses: [
					{ id: 'r1', model: null, content: 'Hi!', metadata: null },
					{ id: 'r2', model: null, content: 'Hello.', metadata: null },
				],
				metadata: null,
				gold: null,
				contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
			},
		])
	})

	test('a canonical line with chat messages, explicit response ids, metadata and a gold ranking', async () => {
		const line = {
			id: 42,
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'Name a prime.' },
			],
			responses: [
				{ id: 'x', model: 'model-a', content: '7', metadata: { temperature: 0.7 } },
				{ id: 'y', model: 'model-b', content: '9' },
				{ id: 'z', model: null, content: '2' },
			],
			metadata: { topic: 'math' },
			gold: { ranking: [['x', 'z'], 'y'] },
		}
		const { items, errors } = await parseJsonl(jsonLines(line))
		expect(errors).toEqual([])
		expect(items[0]).toMatchObject({
			externalId: '42',
			context: { messages: line.messages },
			responses: [
				{ id: 'x', model: 'model-a', content: '7', metadata: { temperature: 0.7 } },
				{ id: 'y', model: 'model-b', content: '9', metadata: null },
				{ id: 'z', model: null, content: '2', metadata: null },
			],
			metadata: { topic: 'math' },
			gold: { ranking: [['x', 'z'], ['y']] },
		})
	})

	test('a pairwise line becomes responses r1 and r2 with a derived id', async () => {
		const { items, errors } = await parseJsonl(jsonLines({ ...pair, model_a: 'gpt', model_b: 'llama', gold: 'a' }))
		expect(errors).toEqual([])
		expect(items[0]).toMatchObject({
			externalId: expect.stringMatching(/^sha256:[0-9a-f]{16}$/),
			context: { prompt: pair.prompt },
			responses: [
				{ id: 'r1', model: 'gpt', content: pair.response_a, metadata: null },
				{ id: 'r2', model: 'llama', content: pair.response_b, metadata: null },
			],
			gold: { ranking: [['r1'], ['r2']] },
		})
	})

	test('a chosen/rejected line keeps the original label in metadata', async () => {
		const { items, errors } = await parseJsonl(
			jsonLines({ id: 'p1', prompt: 'Q', chosen: 'good', rejected: 'bad', metadata: { source: 'hh-rlhf' } }),
		)
		expect(errors).toEqual([])
		expect(items[0]).toMatchObject({
			externalId: 'p1',
			context: { prompt: 'Q' },
			responses: [
				{ id: 'r1', content: 'good' },
				{ id: 'r2', content: 'bad' },
			],
			metadata: { source: 'hh-rlhf', original_preference: { chosen: 'r1', rejected: 'r2' } },
			gold: null,
		})
	})

	test('conversational preference lines: message-list prompts and assistant-message answers', async () => {
		const prompt = [
			{ role: 'system', content: 'You are terse.' },
			{ role: 'user', content: 'Capital of France?' },
		]
		const trl = {
			prompt,
			chosen: [{ role: 'assistant', content: 'Paris.' }],
			rejected: [{ role: 'assistant', content: 'Lyon.' }],
		}
		// UltraFeedback repeats the prompt turns inside chosen and rejected.
		const ultrafeedback = {
			prompt: 'Capital of Italy?',
			chosen: [
				{ role: 'user', content: 'Capital of Italy?' },
				{ role: 'assistant', content: 'Rome.' },
			],
			rejected: [
				{ role: 'user', content: 'Capital of Italy?' },
				{ role: 'assistant', content: 'Milan.' },
			],
			score_chosen: 9,
		}
		const { items, errors } = await parseJsonl(jsonLines(trl, ultrafeedback))
		expect(errors).toEqual([])
		expect(items[0]).toMatchObject({
			context: { messages: prompt },
			responses: [{ content: 'Paris.' }, { content: 'Lyon.' }],
		})
		expect(items[1]).toMatchObject({
			context: { prompt: 'Capital of Italy?' },
			responses: [{ content: 'Rome.' }, { content: 'Milan.' }],
			metadata: { score_chosen: 9, original_preference: { chosen: 'r1', rejected: 'r2' } },
		})
	})

	test('a chosen conversation that does not repeat the prompt is rejected', async () => {
		const line = {
			prompt: 'A?',
			chosen: [
				{ role: 'user', content: 'B?' },
				{ role: 'assistant', content: 'yes' },
			],
			rejected: [{ role: 'user', content: 'no' }],
		}
		const { errors } = await parseJsonl(jsonLines(line))
		expect(errors).toEqual([
			{ line: 1, path: 'chosen', message: expect.stringContaining('prompt turns followed by one assistant message') },
			{ line: 1, path: 'rejected[0].role', message: 'expected the last message to have role "assistant"' },
		])
	})

	test('fields outside the shape go into metadata, or are errors when rejected', async () => {
		const line = { ...pair, source: 'arena', turn: 1 }
		const kept = await parseJsonl(jsonLines(line))
		expect(kept.items[0]?.metadata).toEqual({ source: 'arena', turn: 1 })

		const clash = await parseJsonl(jsonLines({ ...line, metadata: { source: 'other' } }))
		expect(clash.errors).toEqual([
			{ line: 1, path: 'source', message: expect.stringContaining('also a key of metadata') },
		])

		const rejected = await parseJsonl(jsonLines(line), { extraFields: 'reject' })
		expect(rejected.errors.map((error) => error.path)).toEqual(['source', 'turn'])
		expect(rejected.errors[0]?.message).toContain('unknown field for the pairwise shape')
	})

	test('gold shorthands resolve to a ranking', async () => {
		const { items, errors } = await parseJsonl(
			jsonLines(
				canonical({ id: 'g1', gold: 'r2' }),
				{ ...pair, gold: 'response_b' },
				{ prompt: 'Q', chosen: 'x', rejected: 'y', gold: 'chosen' },
				canonical({ id: 'g4', gold: { ranking: [['r1', 'r2']] } }),
			),
		)
		expect(errors).toEqual([])
		expect(items.map((item) => item.gold)).toEqual([
			{ ranking: [['r2'], ['r1']] },
			{ ranking: [['r2'], ['r1']] },
			{ ranking: [['r1'], ['r2']] },
			{ ranking: [['r1', 'r2']] },
		])
	})

	test('derived ids and content hashes are stable, whatever the key order', async () => {
		const reordered = { response_b: pair.response_b, response_a: pair.response_a, prompt: pair.prompt }
		const first = await parseJsonl(jsonLines(pair))
		const second = await parseJsonl(jsonLines(reordered))
		expect(second.items[0]?.externalId).toBe(first.items[0]?.externalId)
		expect(second.items[0]?.contentHash).toBe(first.items[0]?.contentHash)

		const withMetadata = await parseJsonl(jsonLines({ ...pair, metadata: { batch: 2 } }))
		expect(withMetadata.items[0]?.externalId).toBe(first.items[0]?.externalId)
		expect(withMetadata.items[0]?.contentHash).not.toBe(first.items[0]?.contentHash)

		const edited = await parseJsonl(jsonLines({ ...pair, response_b: 'Because of scattering.' }))
		expect(edited.items[0]?.externalId).not.toBe(first.items[0]?.externalId)
	})

	test('explicit ids keep the hash tied to content only', async () => {
		const a = await parseJsonl(jsonLines(canonical({ id: 'one' })))
		const b = await parseJsonl(jsonLines(canonical({ id: 'two' })))
		expect(a.items[0]?.contentHash).toBe(b.items[0]?.contentHash)
	})
})

describe('JSONL bad input', () => {
	test('invalid JSON names the line and the column', async () => {
		const { items, errors } = await parseJsonl(`${JSON.stringify(pair)}\n{"prompt": "x",, }\n`)
		expect(items).toHaveLength(1)
		expect(errors).toEqual([
			{ line: 2, path: '', message: 'invalid JSON at column 16: Expected double-quoted property name' },
		])
	})

	test('invalid UTF-8 fails only its line', async () => {
		const good = (prompt: string) => Buffer.from(`${JSON.stringify({ ...pair, prompt })}\n`)
		const bad = Buffer.concat([
			Buffer.from('{"prompt": "caf'),
			Buffer.from([0xc3, 0x28]),
			Buffer.from('", "response_a": "a", "response_b": "b"}\n'),
		])
		const { items, errors } = await parseJsonl(Buffer.concat([good('one'), bad, good('two')]))
		expect(items.map((item) => item.line)).toEqual([1, 3])
		expect(errors).toEqual([
			{ line: 2, path: '', message: 'invalid UTF-8 at byte 17 of the line; save the file as UTF-8' },
		])
	})

	test('a line without prompt or messages', async () => {
		const { errors } = await parseJsonl(
			jsonLines({ id: 'c', responses: [{ content: 'a' }, { content: 'b' }] }, { response_a: 'a', response_b: 'b' }),
		)
		expect(errors).toEqual([
			{ line: 1, path: 'prompt', message: 'missing: give prompt (a string) or messages (a list of chat turns)' },
			{ line: 2, path: 'prompt', message: 'missing (expected a string or a list of chat messages)' },
		])
	})

	test('a line with both prompt and messages, or messages without a user turn', async () => {
		const { errors } = await parseJsonl(
			jsonLines(
				canonical({ messages: [{ role: 'user', content: 'x' }] }),
				canonical({ id: 'm', prompt: undefined, messages: [{ role: 'system', content: 'x' }] }),
				canonical({ id: 'e', prompt: '' }),
			),
		)
		expect(errors).toEqual([
			{ line: 1, path: 'messages', message: 'give either prompt or messages, not both' },
			{ line: 2, path: 'messages', message: 'expected at least one turn with role "user"' },
			{ line: 3, path: 'prompt', message: 'must not be empty' },
		])
	})

	test('more than 64 responses is an error; fewer than 2 waits for generated ones', async () => {
		const responses = (count: number) => Array.from({ length: count }, (_, index) => ({ content: `answer ${index}` }))
		const { items, errors } = await parseJsonl(
			jsonLines(
				canonical({ id: 'one', responses: responses(1) }),
				canonical({ id: 'many', responses: responses(65) }),
				canonical({ id: 'nine', responses: responses(9) }),
			),
		)
		expect(items.map((item) => item.externalId)).toEqual(['one', 'nine'])
		expect(errors).toEqual([
			{
				line: 2,
				path: 'responses',
				message: 'expected at most 64 responses (fewer than 2 wait for generated ones), got 65',
			},
		])
	})

	test('a ranking item takes at most 9 responses (the number keys); a comparison item takes many models', async () => {
		const responses = (count: number) =>
			Array.from({ length: count }, (_, index) => ({ model: `model-${index}`, content: `answer ${index}` }))
		const ranking = await parseJsonl(jsonLines(canonical({ id: 'ten', responses: responses(10) })))
		expect(ranking.items).toEqual([])
		expect(ranking.errors).toEqual([
			{
				line: 1,
				path: 'responses',
				message: 'a ranking project takes at most 9 responses, got 10; a comparison project takes up to 64',
			},
		])
		const comparison = await parseJsonl(jsonLines(canonical({ id: 'twelve', responses: responses(12) })), {
			taskType: 'comparison',
		})
		expect(comparison.errors).toEqual([])
		expect(comparison.items[0]!.responses.map((response) => response.model)).toEqual(
			responses(12).map((response) => response.model),
		)
	})

	test('a prompt-only or messages-only line is an item that waits for responses, in every project', async () => {
		for (const taskType of ['pairwise', 'ranking'] as const) {
			const { items, errors } = await parseJsonl(
				jsonLines(
					{ id: 'p1', prompt: 'Write a haiku.' },
					{
						id: 'm1',
						messages: [
							{ role: 'system', content: 'Be brief.' },
							{ role: 'user', content: 'Hi' },
						],
					},
					{ id: 'g1', prompt: 'With gold', gold: 'r1' },
				),
				{ taskType },
			)
			expect(items.map((item) => [item.externalId, item.context, item.responses])).toEqual([
				['p1', { prompt: 'Write a haiku.' }, []],
				[
					'm1',
					{
						messages: [
							{ role: 'system', content: 'Be brief.' },
							{ role: 'user', content: 'Hi' },
						],
					},
					[],
				],
			])
			expect(errors).toEqual([
				{ line: 3, path: 'gold', message: expect.stringContaining('waits for generated responses') },
			])
		}
	})

	test('a pairwise project takes exactly 2 responses', async () => {
		const three = canonical({ responses: [{ content: 'a' }, { content: 'b' }, { content: 'c' }] })
		const pairwise = await parseJsonl(jsonLines(three), { taskType: 'pairwise' })
		expect(pairwise.errors).toEqual([
			{ line: 1, path: 'responses', message: 'a pairwise project needs exactly 2 responses, got 3' },
		])
		const ranking = await parseJsonl(jsonLines(three), { taskType: 'ranking' })
		expect(ranking.errors).toEqual([])
	})

	test('a duplicate external id is an error on the second occurrence, naming the first line', async () => {
		const { items, errors } = await parseJsonl(
			jsonLines(
				canonical({ id: 'dup' }),
				canonical({ id: 'other' }),
				canonical({ id: 'dup', prompt: 'changed' }),
				pair,
				pair,
			),
		)
		expect(items.map((item) => item.line)).toEqual([1, 2, 4])
		expect(errors).toEqual([
			{ line: 3, path: 'id', message: 'duplicate id "dup": already used on line 1' },
			{
				line: 5,
				path: '',
				message: expect.stringMatching(/^duplicate item: line 4 has the same content \(derived id "sha256:/),
			},
		])
	})

	test('ids of invalid lines still count for duplicates', async () => {
		const { errors } = await parseJsonl(jsonLines(canonical({ id: 'x', responses: [{}, {}] }), canonical({ id: 'x' })))
		expect(errors.map((error) => [error.line, error.path])).toEqual([
			[1, 'responses[0].content'],
			[1, 'responses[1].content'],
			[2, 'id'],
		])
	})

	test('a response over the size limit, counted in UTF-8 bytes', async () => {
		const small = await parseJsonl(
			jsonLines(canonical({ responses: [{ content: 'short' }, { content: 'much too long' }] })),
			{ maxResponseBytes: 10 },
		)
		expect(small.errors).toEqual([
			{ line: 1, path: 'responses[1].content', message: 'the response is 13 bytes of UTF-8, over the limit of 10' },
		])

		const limit = 256 * 1024
		const atLimit = 'é'.repeat(limit / 2)
		const overLimit = `${atLimit}x`
		const defaults = await parseJsonl(
			jsonLines(canonical({ id: 'at', responses: [{ content: atLimit }, { content: 'b' }] }), {
				...pair,
				response_b: overLimit,
			}),
		)
		expect(defaults.items.map((item) => item.externalId)).toEqual(['at'])
		expect(defaults.errors).toEqual([
			{
				line: 2,
				path: 'response_b',
				message: `the response is ${limit + 1} bytes of UTF-8, over the limit of ${limit}`,
			},
		])
	})

	test('wrong types name the field and the type found', async () => {
		const line = {
			id: true,
			prompt: 'p',
			responses: [
				{ content: 5, model: 3 },
				{ content: 'b', metadata: [1] },
				{ content: 'c', score: 1 },
			],
			metadata: 'none',
		}
		const { errors } = await parseJsonl(jsonLines(line, { ...pair, response_a: null }))
		expect(errors).toEqual([
			{ line: 1, path: 'id', message: 'expected a string or an integer, got boolean' },
			{ line: 1, path: 'responses[0].model', message: 'expected a string, got number' },
			{ line: 1, path: 'responses[0].content', message: 'expected a string, got number' },
			{ line: 1, path: 'responses[1].metadata', message: 'expected an object, got array' },
			{ line: 1, path: 'responses[2].score', message: 'unknown field' },
			{ line: 1, path: 'metadata', message: 'expected an object, got string' },
			{ line: 2, path: 'response_a', message: 'expected a string, got null' },
		])
	})

	test('a bad chat role lists the allowed roles', async () => {
		const { errors } = await parseJsonl(
			jsonLines(canonical({ prompt: undefined, messages: [{ role: 'human', content: 'hi' }] })),
		)
		expect(errors).toEqual([
			{ line: 1, path: 'messages[0].role', message: 'expected one of "system", "user", "assistant", got "human"' },
		])
	})

	test('an unknown shape says which shapes are accepted; mixed shapes are refused', async () => {
		const { errors } = await parseJsonl(
			jsonLines({ question: 'q', answers: ['a', 'b'] }, { ...pair, chosen: 'x' }, [pair], 7),
		)
		expect(errors).toEqual([
			{
				line: 1,
				path: '',
				message:
					'unrecognized item: expected "responses" (canonical shape), or "response_a" and "response_b" (pairwise shape), or "chosen" and "rejected" (preference shape)',
			},
			{
				line: 2,
				path: '',
				message: expect.stringContaining('the item mixes shapes ("response_a", "response_b", "chosen")'),
			},
			{ line: 3, path: '', message: 'expected an object, got array' },
			{ line: 4, path: '', message: 'expected an object, got number' },
		])
	})

	test('duplicate response ids within an item', async () => {
		const { errors } = await parseJsonl(
			jsonLines(
				canonical({
					responses: [
						{ id: 'a', content: 'x' },
						{ id: 'a', content: 'y' },
					],
				}),
				canonical({ id: 'two', responses: [{ id: 'r2', content: 'x' }, { content: 'y' }] }),
			),
		)
		expect(errors).toEqual([
			{ line: 1, path: 'responses[1].id', message: 'duplicate response id "a" (also used by responses[0])' },
			{
				line: 2,
				path: 'responses[1]',
				message: expect.stringContaining('the default id "r2" is already used by responses[0]'),
			},
		])
	})

	test('gold answers must name the item’s responses exactly once', async () => {
		const three = [{ content: 'a' }, { content: 'b' }, { content: 'c' }]
		const { errors } = await parseJsonl(
			jsonLines(
				canonical({ id: '1', gold: 'r9' }),
				canonical({ id: '2', responses: three, gold: 'r1' }),
				canonical({ id: '3', responses: three, gold: { ranking: [['r1'], ['r2']] } }),
				canonical({ id: '4', gold: { ranking: [['r1'], ['r1', 'r2']] } }),
				canonical({ id: '5', gold: { ranking: [['r1']], note: 'x' } }),
				canonical({ id: '6', gold: 3 }),
			),
		)
		expect(errors).toEqual([
			{ line: 1, path: 'gold', message: 'unknown response id "r9" (the responses are "r1", "r2")' },
			{ line: 2, path: 'gold', message: expect.stringContaining('a single response id only works with 2 responses') },
			{ line: 3, path: 'gold.ranking', message: 'every response must be ranked exactly once; missing "r3"' },
			{ line: 4, path: 'gold.ranking[1][0]', message: 'response "r1" is ranked twice (first at gold.ranking[0][0])' },
			{ line: 5, path: 'gold.note', message: 'unknown field' },
			{
				line: 6,
				path: 'gold',
				message: expect.stringMatching(/^expected a response id or an object like .*, got number$/),
			},
		])
	})

	test('text that Postgres cannot store is refused', async () => {
		const { errors } = await parseJsonl(
			`${JSON.stringify({ ...pair, response_a: 'a\u0000b' })}\n{"prompt":"p","response_a":"\\ud800","response_b":"b"}\n`,
		)
		expect(errors).toEqual([
			{ line: 1, path: 'response_a', message: 'contains a NUL character (U+0000), which cannot be stored' },
			{ line: 2, path: 'response_a', message: expect.stringContaining('unpaired surrogate') },
		])
	})

	test('a line nested absurdly deep fails alone instead of overflowing the stack', async () => {
		const depth = 100_000
		const deep = `{"prompt": "p", "response_a": "a", "response_b": "b", "metadata": {"x": ${'['.repeat(depth)}${']'.repeat(depth)}}}`
		const { items, errors } = await parseJsonl(`${deep}\n${JSON.stringify(pair)}\n`)
		expect(items.map((item) => item.line)).toEqual([2])
		expect(errors).toEqual([{ line: 1, path: '', message: 'objects and lists are nested more than 64 levels deep' }])
	})

	test('an empty file is one error on line 0', async () => {
		for (const text of ['', '\ufeff']) {
			expect(await parseJsonl(text)).toEqual({
				items: [],
				errors: [{ line: 0, path: '', message: 'the file is empty' }],
			})
		}
		expect(await parseJsonl('\n  \r\n\n')).toEqual({
			items: [],
			errors: [{ line: 0, path: '', message: 'the file is empty: it has only blank lines' }],
		})
	})

	test('blank lines are skipped but counted', async () => {
		const text = `\n${JSON.stringify(pair)}\n\n   \n${JSON.stringify(canonical())}\n\n`
		const { items, errors } = await parseJsonl(text)
		expect(errors).toEqual([])
		expect(items.map((item) => item.line)).toEqual([2, 5])
	})

	test('a UTF-8 BOM and CRLF line endings', async () => {
		const text = `\ufeff${JSON.stringify(pair)}\r\n${JSON.stringify(canonical({ prompt: 'line\r\nbreak' }))}\r\n`
		const { items, errors } = await parseJsonl(text)
		expect(errors).toEqual([])
		expect(items.map((item) => [item.line, item.context])).toEqual([
			[1, { prompt: pair.prompt }],
			[2, { prompt: 'line\r\nbreak' }],
		])
	})

	test('chunk boundaries anywhere, even inside a character, change nothing', async () => {
		const text = jsonLines({ ...pair, response_a: 'naïve 🦜 café' }, canonical({ prompt: 'ünïcödé' }), {
			...pair,
			prompt: '日本語',
		})
		const whole = await parseJsonl(text)
		expect(whole.items).toHaveLength(3)
		for (const chunkSize of [1, 2, 3, 5, 13]) {
			const pieces = await collect(
				parseImport({ format: 'jsonl', source: bytesOf(text, chunkSize), taskType: 'pairwise' }),
			)
			expect(pieces).toEqual(whole)
		}
	})

	test('a line over the line limit fails alone, and the next line is read', async () => {
		const long = JSON.stringify({ ...pair, response_a: 'x'.repeat(200) })
		const text = `${JSON.stringify(pair)}\n${long}\n${JSON.stringify(canonical())}\n${long}`
		const options = { format: 'jsonl' as const, taskType: 'ranking' as const, maxLineBytes: 100 }
		const { items, errors } = await collect(parseImport({ ...options, source: bytesOf(text, 16) }))
		expect(items.map((item) => item.line)).toEqual([1, 3])
		expect(errors).toEqual([
			{ line: 2, path: '', message: 'the line is longer than the limit of 100 bytes' },
			{ line: 4, path: '', message: 'the line is longer than the limit of 100 bytes' },
		])
	})

	test('the default line limit is 16 MiB, read from a stream', async () => {
		async function* source() {
			const chunk = Buffer.alloc(1024 * 1024, 'x')
			yield Buffer.from('{"prompt": "')
			for (let index = 0; index < 17; index++) yield chunk
			yield Buffer.from(`"}\n${JSON.stringify(pair)}\n`)
		}
		const { items, errors } = await collect(parseImport({ format: 'jsonl', source: source(), taskType: 'pairwise' }))
		expect(items.map((item) => item.line)).toEqual([2])
		expect(errors).toEqual([
			{ line: 1, path: '', message: `the line is longer than the limit of ${16 * 1024 * 1024} bytes` },
		])
	})

	test('a 50,000-line file streams through without being built in memory', async () => {
		const lineCount = 50_000
		async function* source() {
			const batch: string[] = []
			for (let index = 0; index < lineCount; index++) {
				batch.push(
					index % 2 === 0
						? JSON.stringify({
								id: `q${index}`,
								prompt: `Question ${index}`,
								responses: [{ content: 'yes' }, { content: 'no' }],
							})
						: JSON.stringify({ prompt: `Question ${index}`, chosen: `good ${index}`, rejected: `bad ${index}` }),
				)
				if (batch.length === 500) {
					yield Buffer.from(`${batch.join('\n')}\n`)
					batch.length = 0
				}
			}
		}
		let items = 0
		let errors = 0
		let lastLine = 0
		for await (const parsed of parseImport({ format: 'jsonl', source: source(), taskType: 'pairwise' })) {
			if ('item' in parsed) items += 1
			else errors += 1
			lastLine = parsed.line
		}
		expect({ items, errors, lastLine }).toEqual({ items: lineCount, errors: 0, lastLine: lineCount })
	})
})
