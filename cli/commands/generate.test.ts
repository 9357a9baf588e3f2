import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runGeneration } from '#app/modules/generations/run-generation.server.ts'
import { stopQueueClient } from '#app/modules/jobs/enqueue.server.ts'
import { createModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import { action as generationAction, loader as generationLoader } from '#app/routes/api/generation.ts'
import { action as generationsAction, loader as generationsLoader } from '#app/routes/api/project-generations.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createLogger } from '#app/utils/logger.server.ts'
import { importText, jsonl } from '#tests/factories/imports.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { makeProject } from '#tests/factories/projects.ts'
import { callRoute, makeUserWithToken } from '#tests/factories/users.ts'
import { startStubOpenAi, type StubOpenAi } from '#tests/helpers/stub-openai.ts'
import { clientFromEnv, type Client } from '../client.ts'
import { parseEndpointSpec, runGenerate } from './generate.ts'

let stub: StubOpenAi

beforeAll(async () => {
	stub = await startStubOpenAi({ models: ['alpha'] })
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
			const project = /^\/api\/v1\/projects\/([^/]+)\/generations$/.exec(url.pathname)
			if (project)
				return callRoute(request.method === 'POST' ? generationsAction : generationsLoader, request, {
					slug: project[1]!,
				})
			const run = /^\/api\/v1\/generations\/([^/]+)$/.exec(url.pathname)
			if (run) {
				if (request.method === 'GET') await onStatus?.(run[1]!)
				return callRoute(request.method === 'DELETE' ? generationAction : generationLoader, request, { id: run[1]! })
			}
			return new Response('not found', { status: 404 })
		}) as unknown as typeof fetch,
	})
}

describe('quorum generate', () => {
	test('NAME[:SAMPLES] parses; bad samples are refused', () => {
		expect(parseEndpointSpec('llama3')).toEqual({ id: 'llama3', samples: 1 })
		expect(parseEndpointSpec('qwen2.5:7b:4')).toEqual({ id: 'qwen2.5:7b', samples: 4 })
		expect(() => parseEndpointSpec('x:0')).toThrow(/SAMPLES must be 1 to 9/)
	})

	test('--wait prints the run id, draws progress on stderr and ends when the run succeeds', async () => {
		const admin = await makeUserWithToken({ roles: ['admin'] })
		const project = await makeProject({ input: { taskType: 'pairwise' } })
		await importText({
			slug: project.slug,
			user: asSessionUser(admin.user),
			data: jsonl({ id: 'a', prompt: 'One' }, { id: 'b', prompt: 'Two' }),
		})
		const name = `alpha-cli-${Math.random().toString(36).slice(2, 6)}`
		await createModelEndpoint({
			user: asSessionUser(admin.user),
			input: { name, baseUrl: stub.baseUrl, model: 'alpha' },
		})
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		// The worker's part, run in this process the first time the CLI polls.
		let ran = false
		const client = clientFor(engineer.token, {
			onStatus: async (id) => {
				if (ran) return
				ran = true
				await runGeneration({ runId: id, log: createLogger({ component: 'test' }) })
			},
		})
		const stdout = capture()
		const stderr = capture()
		const status = await runGenerate({
			client,
			project: project.slug,
			endpoints: [`${name}:2`],
			wait: true,
			stdout,
			stderr,
			intervalMs: 10,
		})
		expect(status).toMatchObject({ status: 'succeeded', counts: { tasks: 4, done: 4 } })
		expect(stdout.text.trim()).toBe(status.id)
		expect(stderr.text).toContain(`Generation ${status.id.slice(0, 8)} [##############################] 4/4 samples`)
		expect(await prisma.response.count({ where: { item: { projectId: project.id } } })).toBe(4)
	})

	test('a refused run says why, naming the field', async () => {
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		const project = await makeProject()
		await expect(
			runGenerate({
				client: clientFor(engineer.token),
				project: project.slug,
				endpoints: ['missing'],
				stdout: capture(),
				stderr: capture(),
			}),
		).rejects.toThrow(/The generation was refused: .*endpoints\[0\]\.id: no endpoint "missing"/)
	})
})
