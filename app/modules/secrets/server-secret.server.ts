import { randomBytes } from 'node:crypto'
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { getEnv, type Env } from '#app/utils/env.server.ts'

export const SECRET_KEY_FILE = 'secret.key'
const HEX_KEY = /^[0-9a-f]{64}$/i

const cache = new Map<string, Buffer>()

/**
 * The server's 32-byte secret: QUORUM_SECRET_KEY (64 hex digits) when set; otherwise a random key
 * generated on first use and kept in DATA_DIR/secret.key, readable by the owner only. Everything
 * keyed by it (export pseudonyms, encrypted settings) changes when it changes, so replicas that do
 * not share DATA_DIR must share QUORUM_SECRET_KEY.
 */
export function serverSecretKey(env: Pick<Env, 'DATA_DIR' | 'QUORUM_SECRET_KEY'> = getEnv()): Buffer {
	if (env.QUORUM_SECRET_KEY) return Buffer.from(env.QUORUM_SECRET_KEY, 'hex')
	const file = path.resolve(env.DATA_DIR, SECRET_KEY_FILE)
	const cached = cache.get(file)
	if (cached) return cached
	const key = readOrCreateKeyFile(file)
	cache.set(file, key)
	return key
}

function readKeyFile(file: string) {
	const text = readFileSync(file, 'utf8').trim()
	if (!HEX_KEY.test(text))
		throw new Error(
			`${file} does not hold a secret key (64 hex digits); restore it, or remove it to generate a new one (which changes every pseudonym).`,
		)
	if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
	return Buffer.from(text, 'hex')
}

function readOrCreateKeyFile(file: string) {
	try {
		return readKeyFile(file)
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
	}
	mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
	// Written whole under a temporary name, then linked into place: a process starting at the same
	// moment either wins the link or reads the winner's complete key, never half a file.
	const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
	writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
	try {
		linkSync(temporary, file)
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
	} finally {
		unlinkSync(temporary)
	}
	return readKeyFile(file)
}
