import { readFileSync } from 'node:fs'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { describe, expect, test } from 'vitest'
import type { TaskType } from '#app/generated/prisma/enums.ts'
import { importFile } from '#app/modules/imports/import-file.server.ts'
import type { ImportError } from '#app/modules/imports/parse/types.ts'
import { action as itemsAction } from '#app/routes/api/project-items.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { AppError } from '#app/utils/errors.ts'
import { chunksOf, importText, jsonl, pairwiseLine } from '#tests/factories/imports.ts'
import { judgeNext } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { callRoute, makeUser, makeUserWithToken } from '#tests/factories/users.ts'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url))

async function adminAndProject(input: Parameters<typeof makeProject>[0] = {}) {
	const { user: admin, token } = await makeUserWithToken({ roles: ['admin'] })
	const project = await makeProject({ ...input, input: { status: 'draft', ...input.input } })
	return { admin, token, project }
}

const itemCount = (projectId: string) => prisma.item.count({ where: { projectId } })

function importRequest({
	slug,
	token,
	body,
	contentType = 'application/x-ndjson',
	query = '',
}: {
	slug: string
	token?: string
	body: string | Uint8Array
	contentType?: string | null
	query?: string
}) {
	const headers: Record<string, string> = {}
	if (token) headers.Authorization = `Bearer ${token}`
	if (contentType) headers['Content-Type'] = contentType
	return new Request(`http://localhost/api/v1/projects/${slug}/items${query}`, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : Buffer.from(body),
	})
}

async function postImport(args: Parameters<typeof importRequest>[0]) {
	const response = await callRoute(itemsAction, importRequest(args), { slug: args.slug })
	return {
		response,
		body: (await response.json()) as {
			imported: number
			updated: number
			unchanged: number
			errors: ImportError[]
			errorCount: number
			detail?: string
			refused?: boolean
		},
	}
}

const linesAndPaths = (errors: ImportError[]) => errors.map((error) => [error.line, error.path])

function fiveThousandLines() {
	return Array.from({ length: 5000 }, (_, i) => JSON.stringify(pairwiseLine(`item-${i + 1}`))).join('\n') + '\n'
}

describe('the 5,000-line file', () => {
	test('three bad lines: 422 naming exactly those lines, and the project keeps 0 items', async () => {
		const { token, project } = await adminAndProject()
		const lines = fiveThousandLines().trimEnd().split('\n')
		lines[99] = '{"id": "item-100", "prompt": "broken'
		lines[2499] = JSON.stringify({ id: 'item-2500', response_a: 'a', response_b: 'b' })
		lines[4999] = JSON.stringify(pairwiseLine('item-5000', { response_b: 42 }))
		const { response, body } = await postImport({ slug: project.slug, token, body: lines.join('\n') + '\n' })
		expect(response.status).toBe(422)
		expect(response.headers.get('Content-Type')).toBe('application/problem+json')
		expect(body.errors.map((error) => error.line)).toEqual([100, 2500, 5000])
		expect(linesAndPaths(body.errors)).toEqual([
			[100, ''],
			[2500, 'prompt'],
			[5000, 'response_b'],
		])
		expect(body.errorCount).toBe(3)
		expect(body.imported).toBe(0)
		expect(body.detail).toMatch(/3 lines .* nothing was imported/)
		expect(await itemCount(project.id)).toBe(0)
	})

	test('the clean file imports, and importing it again leaves 5,000 items; CSV and Parquet shorthand import alongside', async () => {
		const { token, project } = await adminAndProject()
		const data = fiveThousandLines()
		const first = await postImport({ slug: project.slug, token, body: data })
		expect(first.response.status).toBe(200)
		expect(first.body).toMatchObject({ imported: 5000, updated: 0, unchanged: 0, errors: [], errorCount: 0 })
		expect(await itemCount(project.id)).toBe(5000)

		const again = await postImport({ slug: project.slug, token, body: data })
		expect(again.response.status).toBe(200)
		expect(again.body).toMatchObject({ imported: 0, updated: 0, unchanged: 5000, errors: [] })
		expect(await itemCount(project.id)).toBe(5000)

		const csv = await postImport({ slug: project.slug, token, body: fixture('shorthand.csv'), contentType: 'text/csv' })
		expect(csv.response.status).toBe(200)
		expect(csv.body.imported).toBe(4)

		const parquet = parquetWriteBuffer({
			columnData: [
				{ name: 'id', data: ['pq-1', 'pq-2', 'pq-3'], type: 'STRING' },
				{ name: 'prompt', data: ['Why is the sky blue?', 'Name a prime.', 'Say hi.'], type: 'STRING' },
				{ name: 'response_a', data: ['Rayleigh scattering.', '7', 'Hi!'], type: 'STRING' },
				{ name: 'response_b', data: ['Because it is.', '8', 'Hello.'], type: 'STRING' },
				{ name: 'model_a', data: ['model-a', 'model-a', 'model-b'], type: 'STRING' },
				{ name: 'model_b', data: ['model-b', 'model-c', 'model-c'], type: 'STRING' },
			],
		})
		const pq = await postImport({
			slug: project.slug,
			token,
			body: new Uint8Array(parquet),
			contentType: 'application/vnd.apache.parquet',
		})
		expect(pq.response.status).toBe(200)
		expect(pq.body.imported).toBe(3)
		expect(await itemCount(project.id)).toBe(5007)
		const item = await prisma.item.findUniqueOrThrow({
			where: { projectId_externalId: { projectId: project.id, externalId: 'pq-2' } },
			include: { responses: { orderBy: { position: 'asc' } } },
		})
		expect(item.context).toEqual({ prompt: 'Name a prime.' })
		expect(item.responses.map((response) => [response.key, response.model, response.content])).toEqual([
			['r1', 'model-a', '7'],
			['r2', 'model-c', '8'],
		])
	})
})

type Case = {
	name: string
	data: string | Uint8Array
	format?: 'jsonl' | 'csv'
	taskType?: TaskType
	errors: [number, string, RegExp][]
}

const longText = 'x'.repeat(256 * 1024 + 1)
const ranking = (id: string, count: number) => ({
	id,
	prompt: 'Rank these.',
	responses: Array.from({ length: count }, (_, i) => ({ content: `Answer ${i + 1}` })),
})

const badInputs: Case[] = [
	{
		name: 'invalid JSON',
		data: '{"id": "a", "prompt": "p", "response_a": "x", "response_b": "y"\n',
		errors: [[1, '', /^invalid JSON/]],
	},
	{
		name: 'invalid UTF-8',
		data: Buffer.concat([
			Buffer.from(jsonl(pairwiseLine('ok'))),
			Buffer.from('{"id": "b", "prompt": "'),
			Buffer.from([0xc3, 0x28]),
			Buffer.from('", "response_a": "x", "response_b": "y"}\n'),
		]),
		errors: [[2, '', /UTF-8/]],
	},
	{
		name: 'a missing prompt',
		data: jsonl({ id: 'a', response_a: 'x', response_b: 'y' }),
		errors: [[1, 'prompt', /missing/]],
	},
	{
		name: 'gold on an item that waits for responses',
		data: jsonl({ ...ranking('one', 1), gold: { ranking: [['r1']] } }),
		taskType: 'ranking',
		errors: [[1, 'gold', /waits for generated responses/]],
	},
	{
		name: 'more than 9 responses',
		data: jsonl(ranking('ten', 10)),
		taskType: 'ranking',
		errors: [[1, 'responses', /9/]],
	},
	{
		name: 'a count that does not fit the task type',
		data: jsonl(ranking('three', 3)),
		taskType: 'pairwise',
		errors: [[1, 'responses', /exactly 2 responses, got 3/]],
	},
	{
		name: 'duplicate ids in one file',
		data: jsonl(pairwiseLine('dup'), pairwiseLine('other'), pairwiseLine('dup', { prompt: 'Another prompt' })),
		errors: [[3, 'id', /duplicate id "dup": already used on line 1/]],
	},
	{
		name: 'a response over the size limit',
		data: jsonl(pairwiseLine('big', { response_b: longText })),
		errors: [[1, 'response_b', /over the limit of 262144/]],
	},
	{
		name: 'wrong types',
		data: jsonl({ id: 'w', prompt: 7, response_a: 'x', response_b: ['y'] }),
		errors: [
			[1, 'prompt', /./],
			[1, 'response_b', /./],
		],
	},
	{ name: 'an empty file', data: '', errors: [[0, '', /empty/]] },
	{ name: 'an empty CSV file', data: '', format: 'csv', errors: [[0, '', /empty/]] },
	{
		name: 'an unclosed CSV quote',
		data: 'id,prompt,response_a,response_b\nc1,"Fine",a,b\nc2,"Never closed,a,b\nc3,p,a,b\n',
		format: 'csv',
		errors: [[2, '', /quote/i]],
	},
]

describe('bad input is refused with the line, the field and what was expected, and nothing is written', () => {
	for (const entry of badInputs) {
		test(`${entry.name}: through the module`, async () => {
			const { admin, project } = await adminAndProject({ input: { taskType: entry.taskType ?? 'pairwise' } })
			const report = await importText({
				slug: project.slug,
				user: admin,
				format: entry.format ?? 'jsonl',
				data: entry.data,
			})
			expect(report.refused).toBe(true)
			expect(linesAndPaths(report.errors)).toEqual(entry.errors.map(([line, path]) => [line, path]))
			report.errors.forEach((error, i) => expect(error.message).toMatch(entry.errors[i]![2]))
			expect(report.imported).toBe(0)
			expect(await itemCount(project.id)).toBe(0)
		})

		test(`${entry.name}: through HTTP`, async () => {
			const { token, project } = await adminAndProject({ input: { taskType: entry.taskType ?? 'pairwise' } })
			const { response, body } = await postImport({
				slug: project.slug,
				token,
				body: entry.data,
				contentType: entry.format === 'csv' ? 'text/csv' : 'application/x-ndjson',
			})
			expect(response.status).toBe(422)
			expect(linesAndPaths(body.errors)).toEqual(entry.errors.map(([line, path]) => [line, path]))
			expect(await itemCount(project.id)).toBe(0)
		})
	}

	test('a BOM and CRLF line endings are accepted (JSONL and CSV)', async () => {
		const { token, project } = await adminAndProject()
		const withBom = '\ufeff' + jsonl(pairwiseLine('bom-1'), pairwiseLine('bom-2')).replaceAll('\n', '\r\n')
		const jsonlResult = await postImport({ slug: project.slug, token, body: withBom })
		expect(jsonlResult.response.status).toBe(200)
		expect(jsonlResult.body.imported).toBe(2)
		const csv = '\ufeffid,prompt,response_a,response_b\r\ncrlf-1,"Hello, there","Say ""hi""",Bye\r\n'
		const csvResult = await postImport({ slug: project.slug, token, body: csv, contentType: 'text/csv' })
		expect(csvResult.response.status).toBe(200)
		const item = await prisma.item.findUniqueOrThrow({
			where: { projectId_externalId: { projectId: project.id, externalId: 'crlf-1' } },
			include: { responses: { orderBy: { position: 'asc' } } },
		})
		expect(item.context).toEqual({ prompt: 'Hello, there' })
		expect(item.responses.map((response) => response.content)).toEqual(['Say "hi"', 'Bye'])
		expect(await prisma.item.findFirst({ where: { projectId: project.id, externalId: 'bom-1' } })).not.toBeNull()
	})

	test('the committed bad-lines fixture names its three bad lines', async () => {
		const { token, project } = await adminAndProject()
		const { response, body } = await postImport({ slug: project.slug, token, body: fixture('bad-lines.jsonl') })
		expect(response.status).toBe(422)
		expect(linesAndPaths(body.errors)).toEqual([
			[2, ''],
			[4, 'prompt'],
			[5, 'id'],
		])
	})

	test('an unknown Content-Type is 415 and reads nothing', async () => {
		const { token, project } = await adminAndProject()
		const { response, body } = await postImport({
			slug: project.slug,
			token,
			body: 'a\tb\n',
			contentType: 'text/tab-separated-values',
		})
		expect(response.status).toBe(415)
		expect(body.detail).toMatch(/\.jsonl, \.csv or \.parquet/)
	})

	test('a generic Content-Type falls back to the filename extension', async () => {
		const { token, project } = await adminAndProject()
		const { response, body } = await postImport({
			slug: project.slug,
			token,
			body: fixture('good.jsonl'),
			contentType: 'application/octet-stream',
			query: '?filename=good.jsonl',
		})
		expect(response.status).toBe(200)
		expect(body.imported).toBe(6)
	})
})

describe('skipInvalid and large error lists', () => {
	test('skipInvalid imports the good lines and reports the bad ones', async () => {
		const { token, project } = await adminAndProject()
		const { response, body } = await postImport({
			slug: project.slug,
			token,
			body: fixture('bad-lines.jsonl'),
			query: '?skipInvalid=true',
		})
		expect(response.status).toBe(200)
		expect(body).toMatchObject({ imported: 3, errorCount: 3 })
		expect(body.errors.map((error) => error.line)).toEqual([2, 4, 5])
		expect(
			(await prisma.item.findMany({ where: { projectId: project.id }, orderBy: { externalId: 'asc' } })).map(
				(item) => item.externalId,
			),
		).toEqual(['ok-1', 'ok-2', 'ok-3'])
	})

	test('skipInvalid still refuses a file that is unusable as a whole', async () => {
		const { token, project } = await adminAndProject()
		const { response, body } = await postImport({ slug: project.slug, token, body: '', query: '?skipInvalid=true' })
		expect(response.status).toBe(422)
		expect(body.errors).toEqual([{ line: 0, path: '', message: expect.stringMatching(/empty/) }])
	})

	test('the report lists the first 1,000 errors and counts them all', async () => {
		const { admin, project } = await adminAndProject()
		const data = Array.from({ length: 1500 }, (_, i) =>
			JSON.stringify({ id: `bad-${i}`, response_a: 'a', response_b: 'b' }),
		).join('\n')
		const report = await importText({ slug: project.slug, user: admin, data })
		expect(report.errors).toHaveLength(1000)
		expect(report.errors[999]?.line).toBe(1000)
		expect(report.errorCount).toBe(1500)
		expect(report.invalidLines).toBe(1500)
	})

	test('?skipInvalid must be a boolean', async () => {
		const { token, project } = await adminAndProject()
		const { response, body } = await postImport({
			slug: project.slug,
			token,
			body: jsonl(pairwiseLine(1)),
			query: '?skipInvalid=maybe',
		})
		expect(response.status).toBe(422)
		expect(body.errors[0]).toMatchObject({ path: 'skipInvalid' })
		expect(await itemCount(project.id)).toBe(0)
	})
})

describe('re-imports are idempotent', () => {
	test('identical is unchanged, changed without judgments is updated, changed with judgments is refused for that line', async () => {
		const annotator = await makeUser({ roles: ['annotator'] })
		const { admin, project } = await adminAndProject({
			members: [{ id: annotator.id }],
			input: { status: 'active', overlap: 1, randomizeOrder: false },
		})
		const first = await importText({
			slug: project.slug,
			user: admin,
			data: jsonl(pairwiseLine('a'), pairwiseLine('b'), pairwiseLine('c')),
		})
		expect(first).toMatchObject({ imported: 3, refused: false })

		const judged = await judgeNext({ slug: project.slug, annotator })
		const judgedId = judged.item.externalId
		const [free1, free2] = ['a', 'b', 'c'].filter((id) => id !== judgedId)

		const changed = jsonl(
			pairwiseLine(free1!, { response_b: 'A better answer' }),
			pairwiseLine(free2!),
			pairwiseLine(judgedId, { response_b: 'Edited after judging' }),
		)
		const refused = await importText({ slug: project.slug, user: admin, data: changed })
		expect(refused.refused).toBe(true)
		expect(refused.errors).toEqual([
			{ line: 3, path: 'id', message: expect.stringContaining(`item "${judgedId}" already has judgments`) },
		])
		const untouched = await prisma.response.findFirstOrThrow({
			where: { item: { projectId: project.id, externalId: free1 }, key: 'r2' },
		})
		expect(untouched.content).toBe(`Answer B to ${free1}`)

		const partial = await importText({ slug: project.slug, user: admin, data: changed, skipInvalid: true })
		expect(partial).toMatchObject({ refused: false, imported: 0, updated: 1, unchanged: 1, errorCount: 1 })
		const updated = await prisma.response.findFirstOrThrow({
			where: { item: { projectId: project.id, externalId: free1 }, key: 'r2' },
		})
		expect(updated.content).toBe('A better answer')
		const judgedResponse = await prisma.response.findFirstOrThrow({
			where: { item: { projectId: project.id, externalId: judgedId }, key: 'r2' },
		})
		expect(judgedResponse.content).toBe(`Answer B to ${judgedId}`)
		expect(await itemCount(project.id)).toBe(3)
	})

	test('imports are recorded with an audit event, refused ones included', async () => {
		const { admin, project } = await adminAndProject()
		const ok = await importText({ slug: project.slug, user: admin, data: jsonl(pairwiseLine(1)) })
		const bad = await importText({ slug: project.slug, user: admin, data: '{oops\n' })
		const rows = await prisma.import.findMany({ where: { projectId: project.id }, orderBy: { createdAt: 'asc' } })
		expect(rows.map((row) => [row.id, row.imported, row.errorCount, row.userId])).toEqual([
			[ok.importId, 1, 0, admin.id],
			[bad.importId, 0, 1, admin.id],
		])
		const events = await prisma.auditEvent.findMany({
			where: { projectId: project.id, action: { startsWith: 'import.' } },
			orderBy: { id: 'asc' },
		})
		expect(events.map((event) => [event.action, event.targetId, event.actorId])).toEqual([
			['import.completed', ok.importId, admin.id],
			['import.refused', bad.importId, admin.id],
		])
	})

	test('an archived project takes no imports', async () => {
		const { admin, project } = await adminAndProject({ input: { status: 'archived' } })
		const error = await importFile({
			slug: project.slug,
			user: admin,
			format: 'jsonl',
			source: chunksOf(jsonl(pairwiseLine(1))),
		}).catch((e: unknown) => e as AppError)
		expect(error).toMatchObject({ code: 'CONFLICT' })
		expect(await itemCount(project.id)).toBe(0)
	})
})

describe('who may import', () => {
	test('anonymous 401, annotators, reviewers and engineers 403, admins 200', async () => {
		const annotator = await makeUserWithToken({ roles: ['annotator'] })
		const reviewer = await makeUserWithToken({ roles: ['reviewer'] })
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		const { token, project } = await adminAndProject({
			members: [{ id: annotator.user.id }, { id: reviewer.user.id, role: 'reviewer' }],
		})
		const body = jsonl(pairwiseLine('auth-1'))
		expect((await postImport({ slug: project.slug, body })).response.status).toBe(401)
		for (const caller of [annotator, reviewer, engineer]) {
			const { response } = await postImport({ slug: project.slug, token: caller.token, body })
			expect(response.status).toBe(403)
		}
		expect(await itemCount(project.id)).toBe(0)
		expect((await postImport({ slug: project.slug, token, body })).response.status).toBe(200)
		expect(await itemCount(project.id)).toBe(1)
	})

	test('an unknown project is 404', async () => {
		const { token } = await makeUserWithToken({ roles: ['admin'] })
		const { response } = await postImport({ slug: 'no-such-project', token, body: jsonl(pairwiseLine(1)) })
		expect(response.status).toBe(404)
	})
})
