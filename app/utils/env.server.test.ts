import { describe, expect, test } from 'vitest'
import { EnvError, parseEnv } from './env.server.ts'

describe('parseEnv', () => {
	test('applies sensible defaults', () => {
		const env = parseEnv({})
		expect(env.PORT).toBe(3000)
		expect(env.DATA_DIR).toBe('./data')
		expect(env.DATABASE_URL).toBeUndefined()
	})

	test('a bad variable is one clear line naming it and its value', () => {
		const error = (() => {
			try {
				parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })
			} catch (e) {
				return e
			}
		})()
		expect(error).toBeInstanceOf(EnvError)
		const message = (error as Error).message
		expect(message.split('\n')).toHaveLength(1)
		expect(message).toContain('PORT')
		expect(message).toContain('"eighty"')
		expect(message).toContain('DATABASE_URL: expected a postgresql:// connection string')
	})

	test('SHUTDOWN_GRACE_SECONDS defaults to 15 and takes whole seconds only', () => {
		expect(parseEnv({}).SHUTDOWN_GRACE_SECONDS).toBe(15)
		expect(parseEnv({ SHUTDOWN_GRACE_SECONDS: '0' }).SHUTDOWN_GRACE_SECONDS).toBe(0)
		expect(() => parseEnv({ SHUTDOWN_GRACE_SECONDS: '-1' })).toThrow(/SHUTDOWN_GRACE_SECONDS/)
		expect(() => parseEnv({ SHUTDOWN_GRACE_SECONDS: 'soon' })).toThrow(/SHUTDOWN_GRACE_SECONDS/)
	})

	test('empty strings count as unset', () => {
		expect(parseEnv({ PORT: '', DATABASE_URL: '' }).PORT).toBe(3000)
	})
})
