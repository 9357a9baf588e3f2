import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeEach, describe, expect, test } from 'vitest'
import { loader as exportLoader, action as exportAction } from '#app/routes/api/export.ts'
import { loader as downloadLoader } from '#app/routes/api/export-download.ts'
import { action as projectExportsAction, loader as projectExportsLoader } from '#app/routes/api/project-exports.ts'
import { stopQueueClient } from '#app/modules/jobs/enqueue.server.ts'
import { judgeAll, makeExportProject } from '#tests/factories/exports.ts'
import { clearExportQueue } from '#tests/integration/helpers/exports.ts'
import { callRoute, makeUserWithToken } from '#tests/factories/users.ts'
import { startWorker } from '#workers/worker.ts'
import { clientFromEnv, type Client } from '../client.ts'
import { CliError } from '../errors.ts'
import { downloadExport, parseOptionPairs, runExport, verifyDataset } from './export.ts'

const exportRoot = await mkdtemp(path.join(tmpdir(), 'quorum-cli-export-'))
process.env.EXPORT_DIR = exportRoot
const outRoot = await mkdtemp(path.join(tmpdir(), 'quorum-cli-out-'))

afterAll(async () => {
	await stopQueueClient()
	await rm(exportRoot, { recursive: true, force: true })
	await rm(outRoot, { recursive: true, force: true })
})

beforeEach(async () => {
	await clearExportQueue()
})

function capture() {
	let text = ''
	return {
		write: (chunk: string) => (text += chunk),
		isTTY: false,
		get text() {
			return text
		},
	}
}

/** Routes the client's requests to the API handlers, as the server would. */
function clientFor(token: string, rewrite?: (url: URL, response: Response) => Promise<Response>): Client {
	const routes: Array<[RegExp, (match: RegExpExecArray, request: Request) => Promise<Response>]> = [
		[
			/^\/api\/v1\/projects\/([^/]+)\/exports$/,
			(m, r) => callRoute(r.method === 'POST' ? projectExportsAction : projectExportsLoader, r, { slug: m[1]! }),
		],
		[/^\/api\/v1\/exports\/([^/]+)\/download$/, (m, r) => callRoute(downloadLoader, r, { id: m[1]! })],
		[
			/^\/api\/v1\/exports\/([^/]+)$/,
			(m, r) => callRoute(r.method === 'DELETE' ? exportAction : exportLoader, r, { id: m[1]! }),
		],
	]
	return clientFromEnv({
		env: { QUORUM_URL: 'http://quorum.test', QUORUM_TOKEN: token },
		fetchImpl: (async (url: URL, init: RequestInit) => {
			const request = new Request(url, init)
			for (const [pattern, handle] of routes) {
				const match = pattern.exec(url.pathname)
				if (match) {
					const response = await handle(match, request)
					return rewrite ? rewrite(url, response) : response
				}
			}
			return new Response('not found', { status: 404 })
		}) as unknown as typeof fetch,
	})
}

async function failure(promise: Promise<unknown>) {
	try {
		await promise
	} catch (error) {
		return error as Error
	}
	throw new Error('expected a failure')
}

describe('--option parsing', () => {
	test('dotted keys nest, JSON values parse, lists split on commas, the seed stays a string', () => {
		expect(
			parseOptionPairs([
				'style=conversational',
				'split.test=0.1',
				'split.seed=42',
				'files=parquet,jsonl',
				'minAgreement=0.6',
				'onlyAdjudicated=true',
				'excludeAnnotators=annotator-1,annotator-2',
			]),
		).toEqual({
			style: 'conversational',
			split: { test: 0.1, seed: '42' },
			files: ['parquet', 'jsonl'],
			minAgreement: 0.6,
			onlyAdjudicated: true,
			excludeAnnotators: ['annotator-1', 'annotator-2'],
		})
		expect(parseOptionPairs(['aggregation=dawid-skene', 'minConfidence=0.9'])).toEqual({
			aggregation: 'dawid-skene',
			minConfidence: 0.9,
		})
		expect(() => parseOptionPairs(['style'])).toThrow(CliError)
	})

	test('__proto__ and friends are refused, never merged into Object.prototype', () => {
		for (const pair of [
			'__proto__.x=1',
			'split.__proto__.polluted=1',
			'constructor.prototype.x=1',
			'split={"__proto__":{"polluted":1}}',
		]) {
			expect(() => parseOptionPairs([pair]), pair).toThrow(/is not an option name/)
		}
		expect(({} as Record<string, unknown>).x).toBeUndefined()
		expect(({} as Record<string, unknown>).polluted).toBeUndefined()
	})
})

describe('quorum export', () => {
	test('requests, waits with progress on stderr, downloads, unpacks and verifies into DIR', async () => {
		const { project, annotators } = await makeExportProject({ annotators: 2, items: 4 })
		await judgeAll({ slug: project.slug, annotators })
		const { token } = await makeUserWithToken({ roles: ['engineer'] })
		const worker = await startWorker({ pollIntervalMs: 100, schedule: false, queues: ['export.build'] })
		const out = path.join(outRoot, 'dataset')
		const stdout = capture()
		const stderr = capture()
		let finished: Awaited<ReturnType<typeof runExport>>
		try {
			finished = await runExport({
				client: clientFor(token),
				project: project.slug,
				format: 'trl-preference',
				options: parseOptionPairs(['style=conversational', 'files=parquet,jsonl']),
				out,
				stdout,
				stderr,
				intervalMs: 100,
			})
			expect(finished.status).toBe('succeeded')
			expect(stdout.text).toBe(`${finished.id}\n`)
		} finally {
			await worker.stop({ graceMs: 5_000 })
		}
		expect(stderr.text).toMatch(/\[#{30}\] 100% · 4 rows/)
		expect(stderr.text).toMatch(/every SHA-256 verified/)
		expect((await readdir(out)).sort()).toEqual(['README.md', 'data', 'manifest.json'])
		expect((await readdir(path.join(out, 'data'))).sort()).toEqual([
			'train-00000-of-00001.jsonl',
			'train-00000-of-00001.parquet',
		])
		expect(await readdir(outRoot)).toEqual(['dataset'])
		const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as {
			options: { style: string }
		}
		expect(manifest.options.style).toBe('conversational')

		// A corrupted download is refused: one clear error, and DIR never appears.
		const tamperedOut = path.join(outRoot, 'tampered')
		const copy = path.join(outRoot, 'copy')
		await cp(out, copy, { recursive: true })
		await writeFile(path.join(copy, 'data/train-00000-of-00001.jsonl'), '{"prompt": "tampered"}\n')
		const error = await failure(verifyDataset(copy))
		expect(error).toBeInstanceOf(CliError)
		expect(error.message).toMatch(
			/^Checksum verification failed for data\/train-00000-of-00001\.jsonl: expected sha256 [0-9a-f]{64}/,
		)
		const { tarGzDataset } = await import('#exports/tar-gz.ts')
		const { Readable } = await import('node:stream')
		const tamperedClient = clientFor(token, async (url, response) =>
			url.pathname.endsWith('/download')
				? new Response(Readable.toWeb(tarGzDataset({ dir: copy })) as ReadableStream, { status: 200 })
				: response,
		)
		const downloadError = await failure(
			downloadExport({ client: tamperedClient, id: finished.id, out: tamperedOut, stderr: capture() }),
		)
		expect(downloadError.message).toMatch(/Checksum verification failed/)
		expect(await readdir(outRoot)).not.toContain('tampered')
		expect((await readdir(outRoot)).filter((name) => name.includes('partial'))).toEqual([])
	}, 60_000)

	test('a refused request and a failed export each end in one clear error', async () => {
		const { project } = await makeExportProject({ annotators: 1, items: 1 })
		const { token } = await makeUserWithToken({ roles: ['engineer'] })
		const refused = await failure(
			runExport({
				client: clientFor(token),
				project: project.slug,
				format: 'hh',
				options: { margin: 'llama2-large' },
				stdout: capture(),
				stderr: capture(),
			}),
		)
		expect(refused).toBeInstanceOf(CliError)
		expect(refused.message).toMatch(/^The export was refused: .*options\.margin: the hh format has no margin column/)

		const { token: annotatorToken } = await makeUserWithToken({ roles: ['annotator'] })
		const forbidden = await failure(
			runExport({
				client: clientFor(annotatorToken),
				project: project.slug,
				format: 'raw',
				options: {},
				stdout: capture(),
				stderr: capture(),
			}),
		)
		expect(forbidden.message).toMatch(/^Not allowed: /)

		const failing = clientFor(token, async (url, response) => {
			if (url.pathname.startsWith('/api/v1/exports/') && !url.pathname.endsWith('/download')) {
				const body = (await response.json()) as Record<string, unknown>
				return new Response(JSON.stringify({ ...body, status: 'failed', error: 'disk full' }), {
					status: 200,
					headers: { 'Content-Type': 'application/json' },
				})
			}
			return response
		})
		const failed = await failure(
			runExport({
				client: failing,
				project: project.slug,
				format: 'raw',
				options: {},
				wait: true,
				stdout: capture(),
				stderr: capture(),
				intervalMs: 10,
			}),
		)
		expect(failed.message).toMatch(/^Export [0-9a-f-]{36} failed: disk full$/)
	})
})
