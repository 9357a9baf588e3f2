import { hash, verify } from '@node-rs/argon2'
import { z } from 'zod'

// OWASP's argon2id recommendation (19 MiB, 2 passes, 1 lane). @node-rs/argon2 exports its
// algorithm enum as a const enum, which isolated modules cannot read; 2 is Argon2id.
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export const PasswordSchema = z
	.string({ error: 'Password is required' })
	.min(8, 'Password must be at least 8 characters')
	.max(256, 'Password must be at most 256 characters')

export function hashPassword(password: string) {
	return hash(password, options)
}

export async function verifyPassword(passwordHash: string, password: string) {
	try {
		return await verify(passwordHash, password)
	} catch {
		return false
	}
}

// Verifying against a fixed hash when the account does not exist keeps response times alike, so
// timing does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined
export async function burnPasswordCheck(password: string) {
	dummyHash ??= hashPassword('not-a-real-password')
	await verifyPassword(await dummyHash, password)
}
