import { isIP } from 'node:net'
import { z } from 'zod'
import { formatPath } from './errors.ts'

const booleanString = z
	.enum(['true', 'false', '1', '0', 'yes', 'no'])
	.transform((value) => value === 'true' || value === '1' || value === 'yes')

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

function isProxyAddress(entry: string) {
	if (PROXY_NAMES.has(entry)) return true
	const [address = '', bits, ...rest] = entry.split('/')
	const version = isIP(address)
	if (!version || rest.length > 0) return false
	return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128))
}

/**
 * Which proxies may set X-Forwarded-For: a hop count, or the proxies' addresses (CIDR ranges and
 * Express's names loopback, linklocal, uniquelocal). "true" is refused: trusting every hop lets a
 * client write its own address and dodge the per-address login limit.
 */
const trustProxy = z
	.string()
	.trim()
	.transform((value, context): false | number | string[] => {
		if (value === 'false' || value === '0') return false
		if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value)
		const entries = value
			.split(',')
			.map((entry) => entry.trim())
			.filter(Boolean)
		const bad = entries.filter((entry) => !isProxyAddress(entry))
		if (entries.length === 0 || bad.length > 0) {
			context.addIssue({
				code: 'custom',
				message: `expected a hop count (0-10) or proxy addresses such as 10.0.0.1,10.1.0.0/16 or loopback${value === 'true' ? '; "true" would trust any X-Forwarded-For' : ''}`,
			})
			return z.NEVER
		}
		return entries
	})

export const EnvSchema = z.object({
	NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	HOST: z.string().min(1).default('0.0.0.0'),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// connection string')
		.optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	QUORUM_SECRET_KEY: z
		.string()
		.regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex digits (32 random bytes), e.g. from `openssl rand -hex 32`')
		.optional(),
	EXPORT_DIR: z.string().min(1).optional(),
	EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
	APP_URL: z.url().optional(),
	SECURE_COOKIES: booleanString.optional(),
	TRUST_PROXY: trustProxy.default(false),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
	SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
	INVITE_HOURS: z.coerce
		.number()
		.int()
		.min(1)
		.max(24 * 90)
		.default(72),
	SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
	LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
	LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).default(50),
	LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
	MAX_BODY_BYTES: z.coerce
		.number()
		.int()
		.min(1024)
		.default(1024 * 1024),
	MAX_IMPORT_BYTES: z.coerce
		.number()
		.int()
		.min(1024)
		.default(2 * 1024 ** 3),
	MAX_IMPORT_ROWS: z.coerce.number().int().min(1).default(5_000_000),
	EXPORT_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
	WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
	SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(15),
})

export type Env = z.infer<typeof EnvSchema>

export class EnvError extends Error {}

const SECRET_VARIABLES = new Set(['QUORUM_SECRET_KEY'])

/** What an error message may show of a value: never a secret, and a connection string without its password. */
function shownValue(name: string, value: string | undefined) {
	if (value === undefined) return undefined
	if (SECRET_VARIABLES.has(name)) return '[hidden]'
	if (name === 'DATABASE_URL') return maskPassword(value)
	return value
}

export function maskPassword(connectionString: string) {
	return connectionString.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)[^@/?#]*@/i, '$1***@')
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
	const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''))
	const result = EnvSchema.safeParse(cleaned)
	if (!result.success) {
		const problems = result.error.issues.map((issue) => {
			const name = formatPath(issue.path)
			const got = shownValue(name, source[name])
			return `${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`
		})
		throw new EnvError(`Invalid environment: ${problems.join('; ')}`)
	}
	return result.data
}

let cached: Env | undefined

export function getEnv(): Env {
	cached ??= parseEnv()
	return cached
}

export function exportDir(env: Env = getEnv()) {
	return env.EXPORT_DIR ?? `${env.DATA_DIR.replace(/\/$/, '')}/exports`
}

export function secureCookies(env: Env = getEnv()) {
	return env.SECURE_COOKIES ?? env.NODE_ENV === 'production'
}
