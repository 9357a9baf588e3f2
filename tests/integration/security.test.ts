import { createHmac } from 'node:crypto'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, test, vi } from 'vitest'
import { login } from '#app/modules/auth/login.server.ts'
import { hitRateLimit, pruneRateLimits } from '#app/modules/auth/rate-limit.server.ts'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import { editJudgment } from '#app/modules/assignments/edit-judgment.server.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import { authenticateApiToken, createApiToken } from '#app/modules/auth/api-token.server.ts'
import { changePassword } from '#app/modules/auth/change-password.server.ts'
import {
	createSession,
	readSessionToken,
	sessionCookie,
	sessionCookieName,
	validateSessionToken,
} from '#app/modules/auth/session.server.ts'
import { listUserSessions } from '#app/modules/auth/user-sessions.server.ts'
import { removeMember } from '#app/modules/projects/members.server.ts'
import {
	acceptInvite,
	createInvite,
	getInvite,
	inviteUrl,
	listPendingInvites,
} from '#app/modules/users/invites.server.ts'
import { annotatorPseudonym } from '#app/modules/exports/export-source.server.ts'
import { serverSecretKey } from '#app/modules/secrets/server-secret.server.ts'
import { importFromRequest } from '#app/modules/imports/import-request.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { EnvError, parseEnv } from '#app/utils/env.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { problemFromError } from '#app/utils/http.server.ts'
import { loader as historyLoader } from '#app/routes/annotate-history.tsx'
import { loader as annotateLoader } from '#app/routes/annotate.tsx'
import { action as nextAction } from '#app/routes/api/assignments-next.ts'
import { loader as meLoader } from '#app/routes/api/me.ts'
import { loader as myJudgmentsLoader } from '#app/routes/api/me-judgments.ts'
import { action as projectsAction, loader as projectsLoader } from '#app/routes/api/projects.ts'
import { loader as usersLoader } from '#app/routes/api/users.ts'
import { action as usersAction } from '#app/routes/admin-users.tsx'
import { action as inviteAction } from '#app/routes/invite.tsx'
import { action as loginAction } from '#app/routes/login.tsx'
import { action as securityAction, loader as securityLoader } from '#app/routes/settings-security.tsx'
import { safeRedirect } from '#app/utils/redirect.ts'
import { redactPath } from '#app/utils/request.server.ts'
import { jsonl, pairwiseLine } from '#tests/factories/imports.ts'
import { asSessionUser } from '#tests/factories/judgments.ts'
import { addItems, makeItems, makeProject } from '#tests/factories/projects.ts'
import { apiRequest, callRoute, makeUser, makeUserWithToken, TEST_PASSWORD } from '#tests/factories/users.ts'
import { DemoRefusedError, seedDemo } from '#prisma/seed/demo.ts'
import { demoEnvironment } from '#server/demo-env.ts'
import { refuseDemoAccounts } from '#server/start.ts'
import { startHttpApp } from './helpers/http-app.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

async function sessionCookieFor(userId: string) {
	const { token } = await createSession({ userId })
	return `quorum_session=${encodeURIComponent(token)}`
}

describe('login limiter', () => {
	test('a parallel burst of wrong passwords gets no more than the limit checked', async () => {
		const user = await makeUser()
		const results = await Promise.allSettled(
			Array.from({ length: 25 }, () => login({ email: user.email, password: 'wrong', ip: '10.20.0.1' })),
		)
		const codes = results.map((r) =>
			r.status === 'rejected' && r.reason instanceof AppError ? r.reason.code : 'other',
		)
		expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(10)
		expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(15)
	})

	test("a stranger's failures do not lock the owner out from their own address", async () => {
		const user = await makeUser()
		for (let i = 0; i < 12; i++) {
			await expect(login({ email: user.email, password: 'wrong', ip: '10.20.1.1' })).rejects.toBeInstanceOf(AppError)
		}
		await expect(login({ email: user.email, password: TEST_PASSWORD, ip: '10.20.1.1' })).rejects.toMatchObject({
			status: 429,
		})
		expect((await login({ email: user.email, password: TEST_PASSWORD, ip: '10.20.1.2' })).user.id).toBe(user.id)
	})

	test('logging in to one account does not reset the failures counted on the address', async () => {
		const mine = await makeUser()
		const ip = '10.20.2.1'
		for (let i = 0; i < 49; i++) {
			await expect(login({ email: `victim-${i}@test.local`, password: 'x', ip })).rejects.toThrow()
		}
		expect((await login({ email: mine.email, password: TEST_PASSWORD, ip })).user.id).toBe(mine.id)
		await expect(login({ email: 'victim-x@test.local', password: 'x', ip })).rejects.toMatchObject({
			code: 'UNAUTHENTICATED',
		})
		await expect(login({ email: 'victim-y@test.local', password: 'x', ip })).rejects.toMatchObject({
			code: 'RATE_LIMITED',
		})
	})

	test('pruning removes counters whose window has ended and keeps current ones', async () => {
		const now = new Date()
		await hitRateLimit({ key: 'test:old', windowMs: 15 * MINUTE, now: new Date(now.getTime() - 20 * MINUTE) })
		await hitRateLimit({ key: 'test:current', windowMs: 15 * MINUTE, now })
		const result = await pruneRateLimits({ olderThanMs: 15 * MINUTE, now })
		expect(result.rateLimits).toBeGreaterThanOrEqual(1)
		expect(await prisma.rateLimit.findUnique({ where: { key: 'test:old' } })).toBeNull()
		expect(await prisma.rateLimit.findUnique({ where: { key: 'test:current' } })).not.toBeNull()
	})
})

describe('redirect after login', () => {
	test.each([
		['//evil.com'],
		['/\\evil.com'],
		['/\t/evil.com'],
		['/\n/evil.com'],
		['https://evil.com/'],
		['javascript:alert(1)'],
		['/\\/evil.com'],
		[''],
	])('refuses %j', (to) => {
		expect(safeRedirect(to)).toBe('/')
	})

	test('keeps same-site paths, and /%09/evil.com stays on site', () => {
		expect(safeRedirect('/projects/a?tab=items#top')).toBe('/projects/a?tab=items#top')
		const encoded = safeRedirect('/%09/evil.com')
		expect(new URL(encoded, 'https://quorum.example').origin).toBe('https://quorum.example')
	})

	test('the login action never sends a fresh session off site', async () => {
		const user = await makeUser()
		const form = new URLSearchParams({ email: user.email, password: TEST_PASSWORD, redirectTo: '/\t/evil.com' })
		const response = await callRoute(
			loginAction,
			new Request('http://localhost/login', {
				method: 'POST',
				body: form,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			}),
		).catch((thrown: unknown) => thrown)
		expect(response).toBeInstanceOf(Response)
		expect((response as Response).headers.get('Location')).toBe('/')
	})
})

describe('client address behind a proxy', () => {
	test('TRUST_PROXY takes a hop count or proxy addresses, and refuses true', () => {
		expect(parseEnv({}).TRUST_PROXY).toBe(false)
		expect(parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1)
		expect(parseEnv({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,loopback' }).TRUST_PROXY).toEqual([
			'10.0.0.1',
			'10.1.0.0/16',
			'loopback',
		])
		expect(() => parseEnv({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: expected a hop count/)
		expect(() => parseEnv({ TRUST_PROXY: '10.0.0.1/99' })).toThrow(EnvError)
	})

	test('with one trusted hop, a forged X-Forwarded-For does not change the address the app sees', async () => {
		const app = await startHttpApp({ env: { TRUST_PROXY: '1' } })
		try {
			const response = await fetch(`${app.url}/whoami`, { headers: { 'X-Forwarded-For': '6.6.6.6, 203.0.113.7' } })
			expect(await response.json()).toEqual({ ip: '203.0.113.7' })
		} finally {
			await app.close()
		}
	})

	test('with a list of proxies, only their forwarding is believed', async () => {
		const trusted = await startHttpApp({ env: { TRUST_PROXY: '127.0.0.1' } })
		const untrusted = await startHttpApp({ env: { TRUST_PROXY: '10.0.0.1' } })
		try {
			const forwarded = { headers: { 'X-Forwarded-For': '6.6.6.6, 203.0.113.7' } }
			expect(await (await fetch(`${trusted.url}/whoami`, forwarded)).json()).toEqual({ ip: '203.0.113.7' })
			expect(await (await fetch(`${untrusted.url}/whoami`, forwarded)).json()).toEqual({ ip: '127.0.0.1' })
		} finally {
			await Promise.all([trusted.close(), untrusted.close()])
		}
	})
})

describe('request body cap', () => {
	const env = { MAX_BODY_BYTES: '2048' }

	async function withApp(run: (url: string) => Promise<void>) {
		const app = await startHttpApp({ env })
		try {
			await run(app.url)
		} finally {
			await app.close()
		}
	}

	test('a declared body over the cap is refused with 413 naming the cap', async () => {
		await withApp(async (url) => {
			const response = await fetch(`${url}/api/v1/anything`, { method: 'POST', body: 'x'.repeat(5000) })
			expect(response.status).toBe(413)
			expect(response.headers.get('Content-Type')).toMatch(/^application\/problem\+json/)
			const body = (await response.json()) as { detail: string; maxBytes: number }
			expect(body.detail).toMatch(/2,048 bytes \(MAX_BODY_BYTES\)/)
			expect(body.maxBytes).toBe(2048)
		})
	})

	test('a streamed body without a length is counted as it arrives and refused past the cap', async () => {
		await withApp(async (url) => {
			const chunks = Array.from({ length: 10 }, () => new TextEncoder().encode('y'.repeat(1000)))
			const body = new ReadableStream<Uint8Array>({
				pull(controller) {
					const chunk = chunks.shift()
					if (chunk) controller.enqueue(chunk)
					else controller.close()
				},
			})
			const response = await fetch(`${url}/api/v1/stream`, { method: 'POST', body, duplex: 'half' } as RequestInit)
			expect(response.status).toBe(413)
			expect(((await response.json()) as { detail: string }).detail).toMatch(/MAX_BODY_BYTES/)
		})
	})

	test('a body within the cap reaches the route whole', async () => {
		await withApp(async (url) => {
			const response = await fetch(`${url}/api/v1/anything`, { method: 'POST', body: 'z'.repeat(2000) })
			expect(await response.json()).toEqual({ bytes: 2000 })
		})
	})

	test('the import upload is not held to the body cap', async () => {
		await withApp(async (url) => {
			const response = await fetch(`${url}/api/v1/projects/demo/items`, { method: 'POST', body: 'z'.repeat(5000) })
			expect(await response.json()).toEqual({ bytes: 5000 })
		})
	})
})

describe('invite action', () => {
	test('checks the token before reading the body', async () => {
		const request = new Request('http://localhost/invite/qrm_bogus.token', {
			method: 'POST',
			body: new ReadableStream({ pull: (controller) => controller.error(new Error('the body was read')) }),
			duplex: 'half',
		} as RequestInit)
		const result = (await callRoute(inviteAction, request, { token: 'qrm_bogus.token' })) as {
			init: { status: number } | null
		}
		expect(result.init?.status).toBe(404)
		expect(request.bodyUsed).toBe(false)
	})
})

describe('import caps', () => {
	const upload = (slug: string, body: BodyInit) =>
		new Request(`http://localhost/api/v1/projects/${slug}/items`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-ndjson' },
			body,
			duplex: 'half',
		} as RequestInit)
	const streamed = (text: string) => {
		const bytes = new TextEncoder().encode(text)
		let offset = 0
		return new ReadableStream<Uint8Array>({
			pull(controller) {
				if (offset >= bytes.length) return controller.close()
				controller.enqueue(bytes.subarray(offset, offset + 512))
				offset += 512
			},
		})
	}
	const lines = (count: number) => jsonl(...Array.from({ length: count }, (_, i) => pairwiseLine(`cap-${i}`)))

	test('a file over MAX_IMPORT_BYTES answers 413 naming the cap, counted while streaming', async () => {
		const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
		const project = await makeProject({ input: { status: 'draft' } })
		const error = await importFromRequest({
			request: upload(project.slug, streamed(lines(50))),
			slug: project.slug,
			user: admin,
			maxBytes: 2000,
		}).catch((e: unknown) => e)
		const response = problemFromError(error)
		expect(response.status).toBe(413)
		expect(((await response.json()) as { detail: string }).detail).toMatch(/2,000 bytes \(MAX_IMPORT_BYTES\)/)
		expect(await prisma.item.count({ where: { projectId: project.id } })).toBe(0)
	})

	test('a declared length over MAX_IMPORT_BYTES is refused before reading', async () => {
		const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
		const project = await makeProject({ input: { status: 'draft' } })
		const body = lines(50)
		const request = new Request(`http://localhost/api/v1/projects/${project.slug}/items`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-ndjson', 'Content-Length': String(Buffer.byteLength(body)) },
			body,
		})
		await expect(importFromRequest({ request, slug: project.slug, user: admin, maxBytes: 2000 })).rejects.toMatchObject(
			{ status: 413 },
		)
		expect(request.bodyUsed).toBe(false)
	})

	test('a file over MAX_IMPORT_ROWS answers 413 naming the cap and imports nothing', async () => {
		const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
		const project = await makeProject({ input: { status: 'draft' } })
		const error = await importFromRequest({
			request: upload(project.slug, lines(30)),
			slug: project.slug,
			user: admin,
			maxRows: 20,
		}).catch((e: unknown) => e)
		expect(error).toMatchObject({ status: 413, message: expect.stringMatching(/20 rows \(MAX_IMPORT_ROWS\)/) })
		expect(await prisma.item.count({ where: { projectId: project.id } })).toBe(0)
		const within = await importFromRequest({
			request: upload(project.slug, lines(20)),
			slug: project.slug,
			user: admin,
			maxRows: 20,
		})
		expect(within.imported).toBe(20)
	})
})

describe('gold stays secret', () => {
	async function goldProject(annotatorCount: number) {
		const annotators = await Promise.all(
			Array.from({ length: annotatorCount }, () => makeUserWithToken({ roles: ['annotator'] })),
		)
		const project = await makeProject({ members: annotators.map((a) => a.user), items: 3, input: { goldRate: 0.5 } })
		await addItems({ projectId: project.id, items: makeItems({ count: 8, gold: true, prefix: 'check' }) })
		return { project, annotators }
	}

	test('gold items are served in random order, not by seq', async () => {
		const { project, annotators } = await goldProject(12)
		const served = new Set<string>()
		for (const annotator of annotators) {
			const assignment = await claimNext({ slug: project.slug, user: asSessionUser(annotator.user), random: () => 0 })
			expect(assignment?.item.externalId).toMatch(/^check-/)
			served.add(assignment!.item.externalId)
		}
		// In seq order every annotator would get check-1 first.
		expect(served.size).toBeGreaterThan(1)
	})

	test('the annotator API never reveals which judgments were gold, nor the gold rate', async () => {
		const { project, annotators } = await goldProject(1)
		const [annotator] = annotators
		for (const random of [() => 0, () => 0.99]) {
			const assignment = await claimNext({ slug: project.slug, user: asSessionUser(annotator!.user), random })
			expect(JSON.stringify(assignment)).not.toMatch(/gold/i)
			await submitJudgment({
				leaseId: assignment!.lease.id,
				user: asSessionUser(annotator!.user),
				input: { ranking: [['r1'], ['r2']], strength: 1, idempotencyKey: `gold-${assignment!.lease.id}` },
			})
		}
		expect(await prisma.judgment.count({ where: { userId: annotator!.user.id, isGold: true } })).toBe(1)
		const response = await callRoute(myJudgmentsLoader, apiRequest('/api/v1/me/judgments', { token: annotator!.token }))
		const body = (await response.json()) as { judgments: unknown[] }
		expect(body.judgments).toHaveLength(2)
		expect(JSON.stringify(body)).not.toMatch(/isGold|goldRate/)
		const history = await callRoute(
			historyLoader,
			new Request(`http://localhost/projects/${project.slug}/annotate/history`, {
				headers: { Cookie: await sessionCookieFor(annotator!.user.id) },
			}),
			{ slug: project.slug },
		)
		expect(JSON.stringify(history)).not.toMatch(/isGold|goldRate/)
		const workspace = await callRoute(
			annotateLoader,
			new Request(`http://localhost/projects/${project.slug}/annotate`, {
				headers: { Cookie: await sessionCookieFor(annotator!.user.id) },
			}),
			{ slug: project.slug },
		)
		expect(JSON.stringify(workspace)).not.toMatch(/gold/i)
	})
})

describe('membership is checked on every write', () => {
	async function annotatorWithLease() {
		const admin = asSessionUser(await makeUser({ roles: ['admin'] }))
		const annotator = asSessionUser(await makeUser({ roles: ['annotator'] }))
		const project = await makeProject({ members: [annotator], items: 3 })
		const assignment = await claimNext({ slug: project.slug, user: annotator })
		return { admin, annotator, project, leaseId: assignment!.lease.id }
	}
	const judgmentInput = (key: string) => ({ ranking: [['r1'], ['r2']], strength: 1, idempotencyKey: key })

	test('a judgment cannot be edited once its author is no longer an annotator of the project', async () => {
		const { admin, annotator, project, leaseId } = await annotatorWithLease()
		const { judgment } = await submitJudgment({ leaseId, user: annotator, input: judgmentInput('member-edit-1') })
		await removeMember({ slug: project.slug, user: admin, input: { email: annotator.email, role: 'annotator' } })
		await expect(
			editJudgment({ judgmentId: judgment.id, user: annotator, input: { ranking: [['r2'], ['r1']], strength: 1 } }),
		).rejects.toMatchObject({ status: 403 })
		expect((await prisma.judgment.findUniqueOrThrow({ where: { id: judgment.id } })).revision).toBe(1)
	})

	test('a lease cannot be submitted once the membership is gone, even if the lease is still active', async () => {
		const { annotator, project, leaseId } = await annotatorWithLease()
		await prisma.projectMember.deleteMany({ where: { projectId: project.id, userId: annotator.id } })
		await expect(
			submitJudgment({ leaseId, user: annotator, input: judgmentInput('member-submit-1') }),
		).rejects.toMatchObject({ status: 403 })
		expect(await prisma.judgment.count({ where: { userId: annotator.id } })).toBe(0)
	})

	test('removing a member releases their leases', async () => {
		const { admin, annotator, project, leaseId } = await annotatorWithLease()
		const result = await removeMember({
			slug: project.slug,
			user: admin,
			input: { email: annotator.email, role: 'annotator' },
		})
		expect(result.releasedLeases).toBe(1)
		expect((await prisma.lease.findUniqueOrThrow({ where: { id: leaseId } })).state).toBe('released')
	})
})

describe('sessions and tokens', () => {
	test('a session ends SESSION_MAX_DAYS after login however much it is used', async () => {
		const user = await makeUser()
		const start = new Date('2026-01-01T00:00:00Z')
		const { token } = await createSession({ userId: user.id, now: start })
		for (let day = 20; day < 90; day += 20) {
			expect(await validateSessionToken(token, new Date(start.getTime() + day * DAY)), `day ${day}`).not.toBeNull()
		}
		const nearEnd = await validateSessionToken(token, new Date(start.getTime() + 85 * DAY))
		expect(nearEnd?.expiresAt.getTime()).toBe(start.getTime() + 90 * DAY)
		expect(await validateSessionToken(token, new Date(start.getTime() + 90 * DAY + 1000))).toBeNull()
	})

	test('changing the password needs the current one and signs out the other sessions', async () => {
		const user = asSessionUser(await makeUser())
		const here = await createSession({ userId: user.id })
		const elsewhere = await createSession({ userId: user.id })
		await expect(
			changePassword({
				user,
				currentSessionId: here.sessionId,
				currentPassword: 'not-my-password',
				newPassword: 'a-new-password-1',
			}),
		).rejects.toMatchObject({ status: 422 })
		expect(await validateSessionToken(elsewhere.token)).not.toBeNull()

		const result = await changePassword({
			user,
			currentSessionId: here.sessionId,
			currentPassword: TEST_PASSWORD,
			newPassword: 'a-new-password-1',
		})
		expect(result.signedOutSessions).toBe(1)
		expect(await validateSessionToken(here.token)).not.toBeNull()
		expect(await validateSessionToken(elsewhere.token)).toBeNull()
		await expect(login({ email: user.email, password: TEST_PASSWORD, ip: '10.30.0.1' })).rejects.toMatchObject({
			status: 401,
		})
		expect((await login({ email: user.email, password: 'a-new-password-1', ip: '10.30.0.1' })).user.id).toBe(user.id)
	})

	test('the settings page lists the sessions and signs out the others', async () => {
		const user = await makeUser()
		const here = await createSession({ userId: user.id })
		const other = await createSession({ userId: user.id })
		const cookie = `quorum_session=${encodeURIComponent(here.token)}`
		const page = (await callRoute(
			securityLoader,
			new Request('http://localhost/settings/security', { headers: { Cookie: cookie } }),
		)) as {
			sessions: { id: string; current: boolean }[]
		}
		expect(page.sessions.map((s) => [s.id, s.current])).toEqual([
			[here.sessionId, true],
			[other.sessionId, false],
		])
		const form = new URLSearchParams({ intent: 'sign-out-others' })
		await callRoute(
			securityAction,
			new Request('http://localhost/settings/security', { method: 'POST', body: form, headers: { Cookie: cookie } }),
		)
		expect(await validateSessionToken(other.token)).toBeNull()
		expect(await validateSessionToken(here.token)).not.toBeNull()
		expect(await listUserSessions({ user: asSessionUser(user), currentSessionId: here.sessionId })).toHaveLength(1)
	})

	test('a read token reads but gets 403 on writes; an annotate token annotates but cannot manage', async () => {
		const annotator = await makeUser({ roles: ['annotator'] })
		const project = await makeProject({ members: [annotator], items: 2 })
		const { token: readToken } = await createApiToken({ userId: annotator.id, name: 'read', scope: 'read' })
		const { token: annotateToken } = await createApiToken({ userId: annotator.id, name: 'annotate', scope: 'annotate' })
		const next = (token: string) =>
			callRoute(
				nextAction,
				apiRequest(`/api/v1/projects/${project.slug}/assignments/next`, { token, method: 'POST' }),
				{ slug: project.slug },
			)

		expect((await callRoute(meLoader, apiRequest('/api/v1/me', { token: readToken }))).status).toBe(200)
		const refused = await next(readToken)
		expect(refused.status).toBe(403)
		expect(((await refused.json()) as { detail: string }).detail).toMatch(/scope is "read"/)
		expect((await next(annotateToken)).status).toBe(200)

		const admin = await makeUser({ roles: ['admin'] })
		const { token: adminAnnotate } = await createApiToken({ userId: admin.id, name: 'annotate', scope: 'annotate' })
		const create = await callRoute(
			projectsAction,
			apiRequest('/api/v1/projects', {
				token: adminAnnotate,
				method: 'POST',
				body: { name: 'Scoped', slug: `scoped-${Date.now()}`, taskType: 'pairwise' },
			}),
		)
		expect(create.status).toBe(403)
	})

	test('an expired token is refused', async () => {
		const user = await makeUser({ roles: ['engineer'] })
		const { token } = await createApiToken({ userId: user.id, name: 'short', expiresAt: new Date(Date.now() + 60_000) })
		expect(await authenticateApiToken(token)).not.toBeNull()
		expect(await authenticateApiToken(token, new Date(Date.now() + 120_000))).toBeNull()
	})

	test('the session cookie is __Host- prefixed in production, and plain over HTTP', () => {
		const production = parseEnv({ NODE_ENV: 'production' })
		expect(sessionCookieName(production)).toBe('__Host-quorum_session')
		const cookie = sessionCookie('abc.def', new Date(Date.now() + DAY), production)
		expect(cookie).toMatch(/^__Host-quorum_session=abc\.def; Path=\/;/)
		expect(cookie).toContain('Secure')
		expect(cookie).not.toMatch(/Domain=/i)
		expect(sessionCookieName(parseEnv({ NODE_ENV: 'production', SECURE_COOKIES: 'false' }))).toBe('quorum_session')
	})
})

describe('a malformed cookie', () => {
	test('is treated as absent, not a 500', async () => {
		const request = new Request('http://localhost/settings/security', {
			headers: { Cookie: 'quorum_session=%E0%A4%A' },
		})
		expect(readSessionToken(request)).toBeNull()
		const thrown = await callRoute(securityLoader, request).catch((error: unknown) => error)
		expect(thrown).toBeInstanceOf(Response)
		expect((thrown as Response).status).toBe(302)
		expect((thrown as Response).headers.get('Location')).toMatch(/^\/login\?/)
	})
})

describe('invites', () => {
	test('request logs show /invite/[redacted], never the token', async () => {
		vi.stubEnv('LOG_LEVEL', 'info')
		const lines: string[] = []
		const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
			lines.push(String(chunk))
			return true
		})
		const app = await startHttpApp({ env: {} })
		try {
			await (await fetch(`${app.url}/invite/inv_secretpart.abcdefsecret`)).text()
			await vi.waitFor(() => expect(lines.some((line) => line.includes('"msg":"request"'))).toBe(true), {
				timeout: 10_000,
			})
		} finally {
			write.mockRestore()
			vi.unstubAllEnvs()
			await app.close()
		}
		const logged = lines.join('')
		expect(logged).toContain('/invite/[redacted]')
		expect(logged).not.toContain('secretpart')
		expect(redactPath('/invite/abc.def')).toBe('/invite/[redacted]')
		expect(redactPath('/projects/invite/x')).toBe('/projects/invite/x')
	})

	test('expire after INVITE_HOURS (72 by default)', async () => {
		const admin = await makeUser({ roles: ['admin'] })
		const now = new Date()
		const invite = await createInvite({
			email: `hours-${Date.now()}@test.local`,
			roles: ['annotator'],
			actorId: admin.id,
			now,
		})
		expect(invite.expiresAt.getTime() - now.getTime()).toBe(72 * 3600_000)
		await expect(
			acceptInvite({
				token: invite.token,
				password: 'long-enough-pw',
				displayName: 'Late',
				now: new Date(now.getTime() + 73 * 3600_000),
			}),
		).rejects.toThrow(/expired/)
	})

	test('an admin revokes a pending invite from the users page and its link stops working', async () => {
		const admin = await makeUser({ roles: ['admin'] })
		const invite = await createInvite({
			email: `revoke-${Date.now()}@test.local`,
			roles: ['annotator'],
			actorId: admin.id,
		})
		const id = (await prisma.invite.findFirstOrThrow({ where: { email: invite.email } })).id
		const form = new URLSearchParams({ intent: 'revoke-invite', inviteId: id })
		await callRoute(
			usersAction,
			new Request('http://localhost/admin/users', {
				method: 'POST',
				body: form,
				headers: { Cookie: await sessionCookieFor(admin.id) },
			}),
		)
		await expect(getInvite({ token: invite.token })).rejects.toMatchObject({ status: 404 })
		expect((await listPendingInvites()).map((pending) => pending.id)).not.toContain(id)
	})

	test('the invite link is built on APP_URL when set', () => {
		expect(
			inviteUrl({ path: '/invite/a.b', requestOrigin: 'http://10.0.0.5:3000', appUrl: 'https://quorum.example/' }),
		).toBe('https://quorum.example/invite/a.b')
		expect(inviteUrl({ path: '/invite/a.b', requestOrigin: 'http://localhost:3000', appUrl: undefined })).toBe(
			'http://localhost:3000/invite/a.b',
		)
	})
})

describe('the demo is isolated', () => {
	test('npm run demo keeps to data/demo and to 127.0.0.1 unless HOST is set', () => {
		const { env, notes } = demoEnvironment({
			DATABASE_URL: 'postgresql://x@db/prod',
			DATA_DIR: '/srv/quorum',
			EXPORT_DIR: '/srv/exports',
		})
		expect(env.DATA_DIR).toBe('data/demo')
		expect(env.DATABASE_URL).toBeUndefined()
		expect(env.EXPORT_DIR).toBeUndefined()
		expect(env.HOST).toBe('127.0.0.1')
		expect(notes.join(' ')).toMatch(/DATABASE_URL is ignored/)
		expect(demoEnvironment({ HOST: '0.0.0.0' }).env.HOST).toBe('0.0.0.0')
	})

	test('seeding the demo refuses a database that has users who are not demo users', async () => {
		await makeUser()
		await expect(seedDemo()).rejects.toBeInstanceOf(DemoRefusedError)
		expect(await prisma.user.count({ where: { email: 'admin@quorum.local' } })).toBe(0)
	})

	test('npm start refuses a database where a demo account is enabled', async () => {
		await expect(refuseDemoAccounts()).resolves.toBeUndefined()
		const demoAdmin = await makeUser({ roles: ['admin'], email: 'admin@quorum.local' })
		try {
			await expect(refuseDemoAccounts()).rejects.toThrow(/admin@quorum\.local/)
		} finally {
			await prisma.user.delete({ where: { id: demoAdmin.id } })
		}
	})
})

describe('export pseudonyms', () => {
	test('the server secret is generated once into DATA_DIR with mode 0600, and QUORUM_SECRET_KEY wins', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'quorum-secret-'))
		try {
			const key = serverSecretKey({ DATA_DIR: dir, QUORUM_SECRET_KEY: undefined })
			expect(key).toHaveLength(32)
			const file = path.join(dir, 'secret.key')
			expect((await stat(file)).mode & 0o777).toBe(0o600)
			expect((await readFile(file, 'utf8')).trim()).toBe(key.toString('hex'))
			const set = 'ab'.repeat(32)
			expect(serverSecretKey({ DATA_DIR: dir, QUORUM_SECRET_KEY: set }).toString('hex')).toBe(set)
		} finally {
			await rm(dir, { recursive: true, force: true })
		}
	})

	test('a pseudonym is keyed by the server secret, not the project id, and carries 64 bits', () => {
		const ids = { projectId: '11111111-1111-4111-8111-111111111111', userId: '22222222-2222-4222-8222-222222222222' }
		const a = annotatorPseudonym({ ...ids, key: Buffer.alloc(32, 1) })
		const b = annotatorPseudonym({ ...ids, key: Buffer.alloc(32, 2) })
		expect(a).toMatch(/^annotator-[0-9a-f]{16}$/)
		expect(a).not.toBe(b)
		const keyedByProject = `annotator-${createHmac('sha256', ids.projectId).update(ids.userId).digest('hex').slice(0, 8)}`
		expect(a.startsWith(keyedByProject)).toBe(false)
		expect(
			annotatorPseudonym({ ...ids, projectId: '33333333-3333-4333-8333-333333333333', key: Buffer.alloc(32, 1) }),
		).not.toBe(a)
	})

	test('EnvError names a bad QUORUM_SECRET_KEY without echoing it', () => {
		const secret = 'not-hex-but-secret-value'
		const error = (() => {
			try {
				parseEnv({ QUORUM_SECRET_KEY: secret })
			} catch (e) {
				return e as Error
			}
		})()
		expect(error).toBeInstanceOf(EnvError)
		expect(error!.message).toContain('QUORUM_SECRET_KEY')
		expect(error!.message).not.toContain(secret)
	})
})

describe('EnvError', () => {
	test('masks the password of a bad DATABASE_URL', () => {
		const error = (() => {
			try {
				parseEnv({ DATABASE_URL: 'mysql://quorum:hunter2-secret@db:3306/quorum' })
			} catch (e) {
				return e as Error
			}
		})()
		expect(error).toBeInstanceOf(EnvError)
		expect(error!.message).toContain('DATABASE_URL')
		expect(error!.message).toContain('mysql://quorum:***@db:3306/quorum')
		expect(error!.message).not.toContain('hunter2')
	})
})

describe('headers', () => {
	test('production answers carry HSTS and a Permissions-Policy', async () => {
		const production = await startHttpApp({ env: { NODE_ENV: 'production' } })
		const plainHttp = await startHttpApp({ env: { NODE_ENV: 'production', SECURE_COOKIES: 'false' } })
		try {
			const response = await fetch(`${production.url}/anything`)
			expect(response.headers.get('Strict-Transport-Security')).toMatch(/^max-age=\d{8,}/)
			expect(response.headers.get('Permissions-Policy')).toContain('camera=()')
			expect((await fetch(`${plainHttp.url}/anything`)).headers.get('Strict-Transport-Security')).toBeNull()
		} finally {
			await Promise.all([production.close(), plainHttp.close()])
		}
	})

	test('a cross-scheme origin is refused by the CSRF check', async () => {
		const app = await startHttpApp({ env: {} })
		try {
			const host = new URL(app.url).host
			const refused = await fetch(`${app.url}/settings/security`, {
				method: 'POST',
				headers: { Origin: `https://${host}` },
				body: 'x=1',
			})
			expect(refused.status).toBe(403)
			const accepted = await fetch(`${app.url}/settings/security`, {
				method: 'POST',
				headers: { Origin: `http://${host}` },
				body: 'x=1',
			})
			expect(accepted.status).toBe(200)
		} finally {
			await app.close()
		}
	})
})

describe('pagination is bounded', () => {
	test.each([
		['/api/v1/users?page=99999999999', 'page'],
		['/api/v1/users?page=1e300', 'page'],
		['/api/v1/users?pageSize=100000', 'pageSize'],
	])('%s answers 422 naming the field', async (url, field) => {
		const { token } = await makeUserWithToken({ roles: ['admin'] })
		const response = await callRoute(usersLoader, apiRequest(url, { token }))
		expect(response.status).toBe(422)
		expect(((await response.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe(field)
	})

	test('the projects list refuses a huge page too', async () => {
		const { token } = await makeUserWithToken({ roles: ['admin'] })
		const response = await callRoute(projectsLoader, apiRequest('/api/v1/projects?page=4000000000', { token }))
		expect(response.status).toBe(422)
	})
})

describe('dependencies', () => {
	test('packages only tests and builds need are devDependencies', async () => {
		const pkg = JSON.parse(await readFile('package.json', 'utf8')) as {
			dependencies: Record<string, string>
			devDependencies: Record<string, string>
		}
		const lock = JSON.parse(await readFile('package-lock.json', 'utf8')) as {
			packages: Record<
				string,
				{ dev?: boolean; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
			>
		}
		for (const name of ['@duckdb/node-api']) {
			expect(pkg.dependencies, name).not.toHaveProperty(name)
			expect(pkg.devDependencies, name).toHaveProperty(name)
			expect(lock.packages['']?.dependencies, name).not.toHaveProperty(name)
			expect(lock.packages[`node_modules/${name}`]?.dev, name).toBe(true)
		}
	})
})
