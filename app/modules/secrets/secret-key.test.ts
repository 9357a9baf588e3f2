import { statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { decryptSecret, encryptSecret } from './secret-key.server.ts'

test('without QUORUM_SECRET_KEY a key is generated once under DATA_DIR with mode 0600 and opens what it sealed', async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'quorum-secret-'))
	try {
		const env = { DATA_DIR: dir, QUORUM_SECRET_KEY: undefined }
		const sealed = encryptSecret('sk-test', env)
		expect(statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600)
		expect(sealed.toString('utf8')).not.toContain('sk-test')
		expect(decryptSecret(sealed, env)).toBe('sk-test')
	} finally {
		await rm(dir, { recursive: true, force: true })
	}
})

test('QUORUM_SECRET_KEY decides the key; a different key cannot open the sealed value', () => {
	const first = { DATA_DIR: '/nonexistent', QUORUM_SECRET_KEY: 'a'.repeat(64) }
	const sealed = encryptSecret('sk-live-1234', first)
	expect(decryptSecret(sealed, first)).toBe('sk-live-1234')
	expect(() => decryptSecret(sealed, { ...first, QUORUM_SECRET_KEY: 'b'.repeat(64) })).toThrow()
})
