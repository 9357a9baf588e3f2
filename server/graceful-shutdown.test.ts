import http from 'node:http'
import { afterAll, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { makeUserWithToken } from '#tests/factories/users.ts'
import { appBuild, killAll, startApp, type QuorumProcess } from '#tests/integration/helpers/processes.ts'
import { waitFor } from '#tests/integration/helpers/wait.ts'

const processes: QuorumProcess[] = []
afterAll(() => killAll(processes))

test('on SIGTERM the app refuses new connections, finishes the request in flight, and exits 0', async () => {
	const { token } = await makeUserWithToken({ roles: ['admin'] })
	const app = await startApp({
		databaseUrl: process.env.DATABASE_URL!,
		buildDir: await appBuild(),
		env: { LOG_LEVEL: 'info', SHUTDOWN_GRACE_SECONDS: '60' },
	})
	processes.push(app)

	// A slow upload: the server has the request (it answered 100 Continue) but not yet its body.
	const request = http.request(`${app.url}/api/v1/projects`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Expect: '100-continue' },
	})
	const response = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
		request.on('response', (res) => {
			let body = ''
			res.on('data', (chunk: Buffer) => (body += chunk.toString()))
			res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }))
		})
		request.on('error', reject)
	})
	await new Promise<void>((resolve) => request.on('continue', resolve))
	request.write('{"name": "Finished after SIGTERM", ')

	app.child.kill('SIGTERM')
	await waitFor(
		() =>
			fetch(`${app.url}/healthz`).then(
				() => false,
				(error: Error) => (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED',
			),
		{
			timeoutMs: 30_000,
			what: 'new connections to be refused',
		},
	)
	expect(app.alive()).toBe(true)

	request.end('"taskType": "pairwise"}')
	const answered = await response
	expect(answered.status).toBe(201)
	expect(answered.connection).toBe('close')
	expect(await prisma.project.count({ where: { name: 'Finished after SIGTERM' } })).toBe(1)

	expect(await app.exited).toEqual({ code: 0, signal: null })
	expect(app.output()).toContain('finishing requests in flight')
}, 120_000)
