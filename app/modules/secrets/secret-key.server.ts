import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { Env } from '#app/utils/env.server.ts'
import { serverSecretKey } from './server-secret.server.ts'

type KeySource = Pick<Env, 'DATA_DIR' | 'QUORUM_SECRET_KEY'>

/** AES-256-GCM under the server's secret key: iv (12 bytes) | tag (16 bytes) | ciphertext. */
export function encryptSecret(plaintext: string, env?: KeySource): Buffer {
	const iv = randomBytes(12)
	const cipher = createCipheriv('aes-256-gcm', serverSecretKey(env), iv)
	const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
	return Buffer.concat([iv, cipher.getAuthTag(), body])
}

export function decryptSecret(sealed: Uint8Array, env?: KeySource): string {
	const buffer = Buffer.from(sealed)
	const decipher = createDecipheriv('aes-256-gcm', serverSecretKey(env), buffer.subarray(0, 12))
	decipher.setAuthTag(buffer.subarray(12, 28))
	return Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]).toString('utf8')
}
