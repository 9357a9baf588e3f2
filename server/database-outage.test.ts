import { afterAll, beforeAll, expect, test } from 'vitest'
import { disconnectDb } from '#app/utils/db.server.ts'
import { migrate } from '#prisma/migrator.ts'
import { makeUserWithSession, makeUserWithToken } from '#tests/factories/users.ts'
import {
	appBuild,
	dedicatedPostgres,
	killAll,
	startApp,
	type QuorumProcess,
} from '#tests/integration/helpers/processes.ts'
import { waitFor } from '#tests/integration/helpers/wait.ts'

let postgres: Awaited<ReturnType<typeof dedicatedPostgres>>
const processes: QuorumProcess[] = []

beforeAll(async () => {
	postgres = await dedicatedPostgres()
	await migrate({ connectionString: postgres.connectionString })
	// This file's own rows go to the server it stops, not to the shared test database.
	await disconnectDb()
	process.env.DATABASE_URL = postgres.connectionString
}, 120_000)

afterAll(async () => {
	killAll(processes)
	await disconnectDb()
	await postgres?.destroy()
})

test('while Postgres is down the app answers 503 with Retry-After, stays up, and recovers by itself', async () => {
	const { token } = await makeUserWithToken({ roles: ['engineer'] })
	const { cookie } = await makeUserWithSession({ roles: ['engineer'] })
	const app = await startApp({ databaseUrl: postgres.connectionString, buildDir: await appBuild() })
	processes.push(app)
	const api = () => fetch(`${app.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })
	const page = () => fetch(`${app.url}/projects`, { headers: { Cookie: cookie }, redirect: 'manual' })

	expect((await api()).status).toBe(200)
	expect((await page()).status).toBe(200)
	expect((await fetch(`${app.url}/readyz`)).status).toBe(200)

	// The app's pools now hold idle connections, which the fast shutdown terminates.
	await postgres.stop()

	const refused = await api()
	expect(refused.status).toBe(503)
	expect(refused.headers.get('content-type')).toBe('application/problem+json')
	expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
	expect(await refused.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' })

	const refusedPage = await page()
	expect(refusedPage.status).toBe(503)
	expect(Number(refusedPage.headers.get('retry-after'))).toBeGreaterThan(0)
	expect(await refusedPage.text()).toContain('Quorum is briefly unavailable')

	// An action outside route(): the document answer is still a 503.
	const login = await fetch(`${app.url}/login`, {
		method: 'POST',
		headers: { Origin: app.url, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: 'email=someone%40test.local&password=not-the-password',
		redirect: 'manual',
	})
	expect(login.status).toBe(503)
	expect(Number(login.headers.get('retry-after'))).toBeGreaterThan(0)

	const ready = await fetch(`${app.url}/readyz`)
	expect(ready.status).toBe(503)
	expect(await ready.json()).toEqual({ status: 'database unreachable' })
	expect((await fetch(`${app.url}/healthz`)).status).toBe(200)
	expect(app.alive()).toBe(true)
	expect(app.output()).not.toContain('unhandled')

	await postgres.start()
	await waitFor(async () => (await api()).status === 200, {
		timeoutMs: 30_000,
		intervalMs: 200,
		what: 'the API to answer again',
	})
	expect((await page()).status).toBe(200)
	expect((await fetch(`${app.url}/readyz`)).status).toBe(200)
	expect(app.alive()).toBe(true)
	expect(app.output()).toContain('database unavailable')
}, 120_000)

test('/readyz says 503 while a migration of this build is not applied', async () => {
	const app = await startApp({ databaseUrl: postgres.connectionString, buildDir: await appBuild() })
	processes.push(app)
	expect((await fetch(`${app.url}/readyz`)).status).toBe(200)
	const { prisma } = await import('#app/utils/db.server.ts')
	const [latest] = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
		'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1',
	)
	await prisma.$executeRawUnsafe(
		'UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1',
		latest!.migration_name,
	)
	try {
		const res = await fetch(`${app.url}/readyz`)
		expect(res.status).toBe(503)
		expect(await res.json()).toEqual({ status: 'migrations pending', pending: [latest!.migration_name] })
	} finally {
		await prisma.$executeRawUnsafe(
			'UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = $1',
			latest!.migration_name,
		)
	}
	expect((await fetch(`${app.url}/readyz`)).status).toBe(200)
	app.child.kill('SIGTERM')
	expect(await app.exited).toEqual({ code: 0, signal: null })
}, 120_000)
