import type { Request } from 'express'
import { describe, expect, test } from 'vitest'
import { isCrossSiteRequest } from './app.ts'

function fakeRequest(method: string, path: string, headers: Record<string, string>, protocol = 'http') {
	const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
	return { method, path, protocol, get: (name: string) => lower[name.toLowerCase()] } as unknown as Request
}

const env = { APP_URL: undefined }

describe('isCrossSiteRequest', () => {
	test('reads are never blocked', () => {
		expect(isCrossSiteRequest(fakeRequest('GET', '/', { 'sec-fetch-site': 'cross-site' }), env)).toBe(false)
	})

	test('same-origin posts pass', () => {
		expect(
			isCrossSiteRequest(
				fakeRequest('POST', '/login', { 'sec-fetch-site': 'same-origin', origin: 'http://app.test', host: 'app.test' }),
				env,
			),
		).toBe(false)
		expect(
			isCrossSiteRequest(fakeRequest('POST', '/login', { origin: 'http://app.test', host: 'app.test' }), env),
		).toBe(false)
	})

	test('cross-site and same-site posts are refused', () => {
		expect(
			isCrossSiteRequest(fakeRequest('POST', '/login', { 'sec-fetch-site': 'cross-site', host: 'app.test' }), env),
		).toBe(true)
		expect(
			isCrossSiteRequest(fakeRequest('POST', '/login', { 'sec-fetch-site': 'same-site', host: 'app.test' }), env),
		).toBe(true)
		expect(
			isCrossSiteRequest(fakeRequest('POST', '/login', { origin: 'https://evil.test', host: 'app.test' }), env),
		).toBe(true)
		expect(isCrossSiteRequest(fakeRequest('POST', '/login', { origin: 'null', host: 'app.test' }), env)).toBe(true)
	})

	test('the origin must match in scheme, host and port', () => {
		expect(
			isCrossSiteRequest(fakeRequest('POST', '/login', { origin: 'https://app.test', host: 'app.test' }), env),
		).toBe(true)
		expect(
			isCrossSiteRequest(fakeRequest('POST', '/login', { origin: 'http://app.test:8080', host: 'app.test' }), env),
		).toBe(true)
		expect(
			isCrossSiteRequest(fakeRequest('POST', '/login', { origin: 'https://app.test', host: 'app.test' }, 'https'), env),
		).toBe(false)
		expect(
			isCrossSiteRequest(fakeRequest('POST', '/login', { origin: 'http://quorum.example', host: 'internal:3000' }), {
				APP_URL: 'https://quorum.example',
			}),
		).toBe(true)
	})

	test('a post with neither header is refused', () => {
		expect(isCrossSiteRequest(fakeRequest('POST', '/logout', { host: 'app.test' }), env)).toBe(true)
	})

	test('the bearer-token API is exempt: it never honours the session cookie', () => {
		expect(
			isCrossSiteRequest(
				fakeRequest('POST', '/api/v1/projects', { authorization: 'Bearer qrm_x.y', host: 'app.test' }),
				env,
			),
		).toBe(false)
		expect(
			isCrossSiteRequest(
				fakeRequest('POST', '/api/v1/projects', { host: 'app.test', origin: 'https://evil.test' }),
				env,
			),
		).toBe(false)
	})

	test('APP_URL is accepted as an origin behind a proxy', () => {
		expect(
			isCrossSiteRequest(fakeRequest('POST', '/login', { origin: 'https://quorum.example', host: 'internal:3000' }), {
				APP_URL: 'https://quorum.example',
			}),
		).toBe(false)
	})
})
