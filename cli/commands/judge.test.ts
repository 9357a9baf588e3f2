import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { stopQueueClient } from '#app/modules/jobs/enqueue.server.ts'
import { runJudge as runJudgeInWorker } from '#app/modules/judging/run-judge.server.ts'
import { createModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import { action as judgeRunAction, loader as judgeRunLoader } from '#app/routes/api/judge-run.ts'
import { action as judgeRunsAction, loader as judgeRunsLoader } from '#app/routes/api/project-judge-runs.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createLogger } from '#app/utils/logger.server.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { callRoute, makeUserWithToken } from '#tests/factories/users.ts'
import { startStubOpenAi, type StubOpenAi } from '#tests/helpers/stub-openai.ts'
import { clientFromEnv, type Client } from '../client.ts'
import { runJudge } from './judge.ts'

let stub: StubOpenAi

beforeAll(async () => {
	stub = await startStubOpenAi({ models: ['judge'] })
	stub.fallback = () => ({ kind: 'judge', mode: 'longer' })
})
afterAll(async () => {
	await stopQueueClient()
	await stub.close()
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

function clientFor(token: string, { onStatus }: { onStatus?: (id: string) => Promise<void> } = {}): Client {
	return clientFromEnv({
		env: { QUORUM_URL: 'http://quorum.test', QUORUM_TOKEN: token },
		fetchImpl: (async (url: URL, init: RequestInit) => {
			const request = new Request(url, init)
			const project = /^\/api\/v1\/projects\/([^/]+)\/judge-runs$/.exec(url.pathname)
			if (project)
				return callRoute(request.method === 'POST' ? judgeRunsAction : judgeRunsLoader, request, { slug: project[1]! })
			const run = /^\/api\/v1\/judge-runs\/([^/]+)$/.exec(url.pathname)
			if (run) {
				if (request.method === 'GET') await onStatus?.(run[1]!)
				return callRoute(request.method === 'DELETE' ? judgeRunAction : judgeRunLoader, request, { id: run[1]! })
			}
			return new Response('not found', { status: 404 })
		}) as unknown as typeof fetch,
	})
}

describe('quorum judge', () => {
	test('--wait prints the run id, draws progress on stderr and ends when the run succeeds; --template adds a version', async () => {
		const admin = await makeUserWithToken({ roles: ['admin'] })
		const project = await makeProject({ items: 2 })
		const name = `judge-cli-${Math.random().toString(36).slice(2, 6)}`
		await createModelEndpoint({
			user: asSessionUser(admin.user),
			input: { name, baseUrl: stub.baseUrl, model: 'judge' },
		})
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		const dir = await mkdtemp(join(tmpdir(), 'quorum-judge-'))
		const templateFile = join(dir, 'judge.md')
		await writeFile(templateFile, 'Compare.\n\n{{context}}\n\n{{responses}}\n\n{{verdict_format}}\n')
		// The worker's part, run in this process the first time the CLI polls.
		let ran = false
		const client = clientFor(engineer.token, {
			onStatus: async (id) => {
				if (ran) return
				ran = true
				await runJudgeInWorker({ runId: id, log: createLogger({ component: 'test' }) })
			},
		})
		const stdout = capture()
		const stderr = capture()
		const status = await runJudge({
			client,
			project: project.slug,
			endpoint: name,
			templateFile,
			wait: true,
			stdout,
			stderr,
			intervalMs: 10,
		})
		expect(status).toMatchObject({
			status: 'succeeded',
			templateVersion: 1,
			counts: { tasks: 4, done: 4, itemsJudged: 2 },
		})
		expect(stdout.text.trim()).toBe(status.id)
		expect(stderr.text).toContain(`Judge run ${status.id.slice(0, 8)} [##############################] 4/4 calls`)
		expect(stderr.text).toContain('2 items judged, 0 position-inconsistent (template v1)')
		expect(await prisma.judgment.count({ where: { projectId: project.id, source: 'model' } })).toBe(2)
		expect(stub.requests.at(-1)?.body.messages).toEqual([
			{ role: 'user', content: expect.stringMatching(/^Compare\.\n\n### User\nPrompt /) },
		])
	})

	test('a refused run says why, naming the field', async () => {
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		const project = await makeProject()
		await expect(
			runJudge({
				client: clientFor(engineer.token),
				project: project.slug,
				endpoint: 'missing',
				stdout: capture(),
				stderr: capture(),
			}),
		).rejects.toThrow(/The judge run was refused: .*endpointId: no endpoint "missing"/)
		await expect(
			runJudge({
				client: clientFor(engineer.token),
				project: project.slug,
				endpoint: 'x',
				templateFile: '/nonexistent/t.md',
			}),
		).rejects.toThrow(/--template \/nonexistent\/t\.md: ENOENT/)
	})
})
