import { statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { decryptSecret, encryptSecret, getSecretKey, resetSecretKeyCache } from './secret-key.server.ts'

const saved = { key: process.env.QUORUM_SECRET_KEY, dir: process.env.DATA_DIR }

afterEach(() => {
	process.env.QUORUM_SECRET_KEY = saved.key
	if (saved.key === undefined) delete process.env.QUORUM_SECRET_KEY
	resetSecretKeyCache()
})

test('without QUORUM_SECRET_KEY a key is generated once under DATA_DIR with mode 0600 and reused', async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'quorum-secret-'))
	try {
		delete process.env.QUORUM_SECRET_KEY
		const { getEnv } = await import('#app/utils/env.server.ts')
		const env = getEnv() as { DATA_DIR: string }
		const before = env.DATA_DIR
		env.DATA_DIR = dir
		try {
			resetSecretKeyCache()
			const first = getSecretKey()
			expect(first).toHaveLength(32)
			expect(statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600)
			const sealed = encryptSecret('sk-test')
			resetSecretKeyCache()
			expect(getSecretKey().equals(first)).toBe(true)
			expect(decryptSecret(sealed)).toBe('sk-test')
		} finally {
			env.DATA_DIR = before
		}
	} finally {
		await rm(dir, { recursive: true, force: true })
	}
})

test('QUORUM_SECRET_KEY decides the key; a different key cannot open the sealed value', () => {
	process.env.QUORUM_SECRET_KEY = 'first secret'
	resetSecretKeyCache()
	const sealed = encryptSecret('sk-live-1234')
	expect(sealed.toString('utf8')).not.toContain('sk-live')
	expect(decryptSecret(sealed)).toBe('sk-live-1234')
	process.env.QUORUM_SECRET_KEY = 'second secret'
	resetSecretKeyCache()
	expect(() => decryptSecret(sealed)).toThrow()
})
