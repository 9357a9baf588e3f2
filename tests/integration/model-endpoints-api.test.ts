import { createServer as createTlsServer } from 'node:https'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { action as endpointAction, loader as endpointLoader } from '#app/routes/api/model-endpoint.ts'
import { action as testAction } from '#app/routes/api/model-endpoint-test.ts'
import { action as endpointsAction, loader as endpointsLoader } from '#app/routes/api/model-endpoints.ts'
import { decryptSecret } from '#app/modules/secrets/secret-key.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { apiRequest, callRoute, makeUserWithToken } from '#tests/factories/users.ts'
import { startStubOpenAi, type StubOpenAi } from '#tests/helpers/stub-openai.ts'

let stub: StubOpenAi
let admin: { token: string }
let counter = 0

beforeAll(async () => {
	stub = await startStubOpenAi({ models: ['stub-model', 'other-model'] })
	admin = await makeUserWithToken({ roles: ['admin'] })
})
afterAll(async () => {
	await stub.close()
})

const uniqueName = (base: string) => `${base}-${++counter}-${Math.random().toString(36).slice(2, 6)}`

async function create(body: Record<string, unknown>, token = admin.token) {
	return callRoute(endpointsAction, apiRequest('/api/v1/model-endpoints', { token, method: 'POST', body }))
}

async function createOk(body: Record<string, unknown>) {
	const response = await create({ name: uniqueName('ep'), baseUrl: stub.baseUrl, model: 'stub-model', ...body })
	expect(response.status).toBe(201)
	return (await response.json()) as { id: string; name: string; apiKey: { last4: string } | null }
}

async function runTest(id: string, token = admin.token) {
	const response = await callRoute(
		testAction,
		apiRequest(`/api/v1/model-endpoints/${id}/test`, { token, method: 'POST' }),
		{ id },
	)
	return {
		status: response.status,
		body: (await response.json()) as { ok: boolean; latencyMs?: number; message?: string; models?: string[] },
	}
}

describe('model endpoints API', () => {
	test('admins create, read, change and delete; the key is encrypted and shown only as its last 4 characters', async () => {
		const created = await createOk({
			apiKey: 'sk-secret-abcd1234',
			params: { temperature: 0.7, max_tokens: 64, extra: { options: { num_ctx: 4096 } } },
			concurrency: 8,
			timeoutSeconds: 30,
		})
		expect(created.apiKey).toEqual({ last4: '1234' })
		expect(JSON.stringify(created)).not.toContain('sk-secret')

		const row = await prisma.modelEndpoint.findUniqueOrThrow({ where: { id: created.id } })
		expect(Buffer.from(row.apiKeyEncrypted!).toString('utf8')).not.toContain('sk-secret')
		expect(decryptSecret(row.apiKeyEncrypted!)).toBe('sk-secret-abcd1234')

		const list = await callRoute(endpointsLoader, apiRequest('/api/v1/model-endpoints', { token: admin.token }))
		const listed = (await list.json()) as { endpoints: { id: string }[] }
		expect(listed.endpoints.map((endpoint) => endpoint.id)).toContain(created.id)
		expect(JSON.stringify(listed)).not.toContain('sk-secret')

		const patched = await callRoute(
			endpointAction,
			apiRequest(`/api/v1/model-endpoints/${created.id}`, {
				token: admin.token,
				method: 'PATCH',
				body: { model: 'other-model' },
			}),
			{ id: created.id },
		)
		expect(patched.status).toBe(200)
		expect(await patched.json()).toMatchObject({ model: 'other-model', apiKey: { last4: '1234' } })

		const cleared = await callRoute(
			endpointAction,
			apiRequest(`/api/v1/model-endpoints/${created.id}`, {
				token: admin.token,
				method: 'PATCH',
				body: { apiKey: null },
			}),
			{ id: created.id },
		)
		expect(await cleared.json()).toMatchObject({ apiKey: null })

		const deleted = await callRoute(
			endpointAction,
			apiRequest(`/api/v1/model-endpoints/${created.id}`, { token: admin.token, method: 'DELETE' }),
			{ id: created.id },
		)
		expect(deleted.status).toBe(204)
		const gone = await callRoute(
			endpointLoader,
			apiRequest(`/api/v1/model-endpoints/${created.id}`, { token: admin.token }),
			{ id: created.id },
		)
		expect(gone.status).toBe(404)
	})

	test('annotators get 403, engineers may list but not create; bad fields get 422 naming the field', async () => {
		const annotator = await makeUserWithToken({ roles: ['annotator'] })
		const engineer = await makeUserWithToken({ roles: ['engineer'] })
		expect((await create({ name: 'x', baseUrl: stub.baseUrl, model: 'm' }, annotator.token)).status).toBe(403)
		expect((await create({ name: 'x', baseUrl: stub.baseUrl, model: 'm' }, engineer.token)).status).toBe(403)
		expect(
			(await callRoute(endpointsLoader, apiRequest('/api/v1/model-endpoints', { token: annotator.token }))).status,
		).toBe(403)
		expect(
			(await callRoute(endpointsLoader, apiRequest('/api/v1/model-endpoints', { token: engineer.token }))).status,
		).toBe(200)

		const bad = await create({
			name: uniqueName('bad'),
			baseUrl: 'ftp://example.com',
			model: 'm',
			params: { temperature: 5 },
		})
		expect(bad.status).toBe(422)
		const problem = (await bad.json()) as { errors: { path: string }[] }
		expect(problem.errors.map((error) => error.path).sort()).toEqual(['baseUrl', 'params.temperature'])

		const name = uniqueName('dup')
		expect((await create({ name, baseUrl: stub.baseUrl, model: 'm' })).status).toBe(201)
		expect((await create({ name: name.toUpperCase(), baseUrl: stub.baseUrl, model: 'm' })).status).toBe(409)
	})
})

describe('testing an endpoint', () => {
	test('a working endpoint reports its latency and the models the server lists', async () => {
		const { id } = await createOk({})
		const result = await runTest(id)
		expect(result.status).toBe(200)
		expect(result.body.ok).toBe(true)
		expect(result.body.latencyMs).toBeGreaterThanOrEqual(0)
		expect(result.body.models).toEqual(['stub-model', 'other-model'])
	})

	test('an unknown model names the models the server has', async () => {
		const { id } = await createOk({ model: 'llama-nonexistent' })
		const { body } = await runTest(id)
		expect(body.ok).toBe(false)
		expect(body.message).toBe(
			'The server does not know the model "llama-nonexistent"; it has: stub-model, other-model.',
		)
	})

	test('a wrong API key is a 401', async () => {
		const guarded = await startStubOpenAi({ apiKey: 'right-key' })
		try {
			const { id } = await createOk({ baseUrl: guarded.baseUrl, apiKey: 'wrong-key' })
			const { body } = await runTest(id)
			expect(body.message).toMatch(/^The server refused the request \(401\)/)
			await callRoute(
				endpointAction,
				apiRequest(`/api/v1/model-endpoints/${id}`, {
					token: admin.token,
					method: 'PATCH',
					body: { apiKey: 'right-key' },
				}),
				{ id },
			)
			expect((await runTest(id)).body.ok).toBe(true)
			expect(guarded.requests.at(-1)!.authorization).toBe('Bearer right-key')
		} finally {
			await guarded.close()
		}
	})

	test('connection refused, DNS, timeout, non-JSON and TLS failures each get one clear sentence', async () => {
		const closed = createServer()
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
		const freePort = (closed.address() as AddressInfo).port
		await new Promise<void>((resolve) => closed.close(() => resolve()))
		const refused = await createOk({ baseUrl: `http://127.0.0.1:${freePort}/v1` })
		expect((await runTest(refused.id)).body.message).toBe(
			`Nothing is listening at 127.0.0.1:${freePort} (connection refused); is the model server running on that port?`,
		)

		const dns = await createOk({ baseUrl: 'http://no-such-host.invalid/v1' })
		expect((await runTest(dns.id)).body.message).toBe(
			'The host name "no-such-host.invalid" could not be resolved (DNS); check the base URL.',
		)

		const slow = await startStubOpenAi()
		try {
			slow.script({ kind: 'hang' })
			const timeout = await createOk({ baseUrl: slow.baseUrl, timeoutSeconds: 1 })
			const result = await runTest(timeout.id)
			expect(result.body.message).toBe(
				`The server at ${new URL(slow.url).host} did not answer within 1 seconds (timeout).`,
			)
			slow.html = true
			const html = await runTest(timeout.id)
			expect(html.body.message).toMatch(
				/answered with something that is not JSON \(it starts with "<!doctype html>.*check that the base URL is the OpenAI-compatible \/v1 root\.$/,
			)
		} finally {
			await slow.close()
		}

		// A TLS server with a self-signed certificate Node does not trust.
		const tls = createTlsServer({ key: TEST_KEY, cert: TEST_CERT }, (_request, response) => response.end('{}'))
		await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve))
		try {
			const secure = await createOk({ baseUrl: `https://127.0.0.1:${(tls.address() as AddressInfo).port}/v1` })
			expect((await runTest(secure.id)).body.message).toMatch(
				/^The TLS connection to 127\.0\.0\.1:\d+ failed \(.+\); check the certificate/,
			)
		} finally {
			tls.closeAllConnections()
			await new Promise<void>((resolve) => tls.close(() => resolve()))
		}
	}, 30_000)

	test('a redirect is reported, never followed', async () => {
		const { createServer: createHttp } = await import('node:http')
		const redirecting = createHttp((_request, response) => {
			response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' })
			response.end()
		})
		await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve))
		try {
			const { id } = await createOk({ baseUrl: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/v1` })
			expect((await runTest(id)).body.message).toBe(
				'The server redirected to http://169.254.169.254/latest/meta-data; Quorum does not follow redirects, so use the final address as the base URL.',
			)
		} finally {
			await new Promise<void>((resolve) => redirecting.close(() => resolve()))
		}
	})
})

// A throwaway self-signed certificate for 127.0.0.1, used only to provoke a TLS failure.
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDAdg/8cXKnT8Tn
ZtQmtOPkhUa5+nCC66qHGHb1YdO6+3g9u9st1JUBEJTMEiYVmY9Eo58STnIQRPZD
mdXUlgM1dcaPbmoIMVYhqi7M3/1TaHNRxPOSGMXwMY2XAh1SHzFVgMQcp/y4etH5
UvCaESSKqJfoCGWkuxGhgm+pcm5FqNma0DXX745PVx4JqK60Pfc5L/EzYpBQwDzN
LuhZCVS2bxBq/JMuZub5PRFLUVXtJDUVuSa1BRs1KYLItGjjp/qLNYw/eav2Fd4n
+fWcmtGFyRy8LHbti88xiFwj7yVSYbFkeHny8VMDuwzeYsi07KpOT5VMGwiVYQww
EU4qjsX1AgMBAAECggEAEmd30eEbYKp9Hs+ze9wSatjf0YsEVVCp5u9M+NwY/ilr
7yNWq0RH12k5gWY+5BPiImMvI/YCbFHb5s0AKKsLtYIEsdSSKSRmoyN+BDNrKx2y
4V/fFtptmzFx473dBexbsFx25HKf9RgxmhD3VxRKlUPX+uVKqv0Ei5hIi0CZEOoQ
8gA76B2NEqofHhDZHSGKdxW0IDt5zLr7NDH51EU620uD64TL7QYaYfIiFLbdDVIO
vymYWYa0dRTcL2SYmmKH5MlNkzyV3Gz6Na7+XelOAa214Nw5JuKkECJ2K2ZqLAWj
g7uf2FXlxzeizsM3BQCoYzioIpDi4XiiP1e1PyBQwQKBgQD1f4rVgxsbs66omVum
q0t0GhEo7Cxn5QEth0Cag77/xiaExAf3DfzRByVMt0HO3Y3uGlP/16hzpCnfWZ+Z
u3Fr7LtNYjbUznccadeU0/lkrsWZN1x6W6LyUVSaD1REPlAg4ZVHLy69Yt/fWFJB
ddOn4PWA0G9a+7qm8cXnVVG8pQKBgQDIsbXL1NTjq0EetXWgupz9uXDB6IpDsxPS
5CwRCjplQbiLXWXyh4QMjGYdblGMhvFojQHosA7rd0qqvEtsoV2OcVTao9Is2vQQ
bnh8R2XpY4uj7fQOQMrM1NMjWOvb9FY1pe4fSAoQvgFe2lW8N/ZaiwwVvYSmMSMz
ST5ts80TEQKBgQCbM765rOD+amIJBKsEe1aAV9pxXJ3WMNjFx7P3+0JMwSCo3qWK
crVaEIJsNY7NERQha1Ofct9z/FzcbvSPZAkYidj/2w9/CegTdnZsCHaqSDNz4aP9
VuF1ACXUH8zON/bAUtzk29dYs6GEuXmHGM5uW7HZdexwQKSH1mGfFjlOYQKBgHV4
T0i3ksSQANXQsMEbebipSm61hfiKYRgXphNzQSrzhOlOCdYjrA8MPtkLMYBnm/Xu
Uye3pYP9lx7Ih/1VlkVB4MD5EpRetGzJvIxB3kz1j06sgSW2lv29tLgD3Eoqgit0
rCRzLjEOhg7XDUfWGcR1juVKwNHmAQyL2parn2WBAoGBANAtOAtFJZwR2XQKUSeK
Ohfkmjn95uFWY10XPdKG3JfZLIgAGR2egALS13NB+xgSThsMoyUmCwkb/Bh1Z5Tc
Gt0YjSRPDT9hkq/YpyCtlqGVEMOYyrNjlmHaEw8xv/eivsNRFJ3A1wbmGtfjS8N4
j01nQ7WdPaPtun8E4qCRpy33
-----END PRIVATE KEY-----`
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIDCzCCAfOgAwIBAgIUaMmc58+P6ULDAWk7tZ1mKhF8mtswDQYJKoZIhvcNAQEL
BQAwFDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwNzEzNDU1OVoYDzIxMjYx
MTEzMTM0NTU5WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQDAdg/8cXKnT8TnZtQmtOPkhUa5+nCC66qHGHb1YdO6
+3g9u9st1JUBEJTMEiYVmY9Eo58STnIQRPZDmdXUlgM1dcaPbmoIMVYhqi7M3/1T
aHNRxPOSGMXwMY2XAh1SHzFVgMQcp/y4etH5UvCaESSKqJfoCGWkuxGhgm+pcm5F
qNma0DXX745PVx4JqK60Pfc5L/EzYpBQwDzNLuhZCVS2bxBq/JMuZub5PRFLUVXt
JDUVuSa1BRs1KYLItGjjp/qLNYw/eav2Fd4n+fWcmtGFyRy8LHbti88xiFwj7yVS
YbFkeHny8VMDuwzeYsi07KpOT5VMGwiVYQwwEU4qjsX1AgMBAAGjUzBRMB0GA1Ud
DgQWBBRpe+S+MsfBvjJz1DdGQUaktroPdDAfBgNVHSMEGDAWgBRpe+S+MsfBvjJz
1DdGQUaktroPdDAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQAg
oi8YZqpmpLIz4nZJHitObEaXlhCep51i2Hz39juMTVpCVV8Os3c6oFDFyYNH82Gw
siAUSsryPkpVLwtqQutxXiU4YYIsxGhJ8IfdE45bLesagbDZ/hebeJciB+6vW/UU
GLu2zm3pa1ixEzFYFh6KiYT6bZ52Yq9CqLoYPMMcozR/6WNnA0ml/Qcceyllna/X
MQMKKCenlq1YTQaJ4WqtUlWjhDCc6UTr1eDUV6oqGHYYT2SYYP5CblckTLy04Gnq
Qr0r3F6x0FuXjXv+iqq7Imc0DBteZW8GgzsA0/IcjpHX76M737scRcvd0/PmQ6TX
rUPxIPYZNLohV7QW3jMh
-----END CERTIFICATE-----`
