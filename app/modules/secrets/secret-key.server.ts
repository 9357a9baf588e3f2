import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { getEnv } from '#app/utils/env.server.ts'

let cached: Buffer | undefined

/**
 * The server's 32-byte secret: from QUORUM_SECRET_KEY (any string, hashed to 32 bytes), or else a
 * random key generated once and kept in DATA_DIR/secret.key with mode 0600, so every app replica
 * and worker sharing that directory decrypts what the others encrypted.
 */
export function getSecretKey(): Buffer {
	if (cached) return cached
	const configured = process.env.QUORUM_SECRET_KEY
	if (configured) {
		cached = createHash('sha256').update(configured).digest()
		return cached
	}
	const path = join(getEnv().DATA_DIR, 'secret.key')
	try {
		cached = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
		mkdirSync(dirname(path), { recursive: true })
		const key = randomBytes(32)
		try {
			// 'wx' fails when another process wrote the key first; then that key is the one to use.
			writeFileSync(path, key.toString('base64'), { mode: 0o600, flag: 'wx' })
			chmodSync(path, 0o600)
			cached = key
		} catch (raced) {
			if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced
			cached = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')
		}
	}
	if (cached.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`)
	return cached
}

/** For tests that switch QUORUM_SECRET_KEY or DATA_DIR. */
export function resetSecretKeyCache() {
	cached = undefined
}

/** AES-256-GCM: iv (12 bytes) | tag (16 bytes) | ciphertext. */
export function encryptSecret(plaintext: string): Buffer {
	const iv = randomBytes(12)
	const cipher = createCipheriv('aes-256-gcm', getSecretKey(), iv)
	const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
	return Buffer.concat([iv, cipher.getAuthTag(), body])
}

export function decryptSecret(sealed: Uint8Array): string {
	const buffer = Buffer.from(sealed)
	const decipher = createDecipheriv('aes-256-gcm', getSecretKey(), buffer.subarray(0, 12))
	decipher.setAuthTag(buffer.subarray(12, 28))
	return Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]).toString('utf8')
}
