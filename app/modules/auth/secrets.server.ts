import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'

export function randomToken(bytes: number) {
	const buffer = new Uint8Array(bytes)
	crypto.getRandomValues(buffer)
	return encodeBase32LowerCaseNoPadding(buffer)
}

export function hashSecret(secret: string): Uint8Array<ArrayBuffer> {
	return new Uint8Array(sha256(new TextEncoder().encode(secret)))
}

export function secretMatches(secret: string, storedHash: Uint8Array) {
	return constantTimeEqual(hashSecret(secret), storedHash)
}

/**
 * Tokens are `<id>.<secret>`: the id finds the row, and only SHA-256 of the secret is stored, so a
 * database leak reveals no usable credential.
 */
export function newSplitToken(prefix = '') {
	const id = randomToken(10)
	const secret = randomToken(20)
	return { id, secret, token: `${prefix}${id}.${secret}`, secretHash: hashSecret(secret) }
}

export function parseSplitToken(token: string, prefix = '') {
	if (!token.startsWith(prefix)) return null
	const [id, secret, ...rest] = token.slice(prefix.length).split('.')
	if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 128) return null
	return { id, secret }
}
