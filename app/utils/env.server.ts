import { z } from 'zod'

const booleanString = z
	.enum(['true', 'false', '1', '0', 'yes', 'no'])
	.transform((value) => value === 'true' || value === '1' || value === 'yes')

export const EnvSchema = z.object({
	NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	HOST: z.string().min(1).default('0.0.0.0'),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// connection string')
		.optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	EXPORT_DIR: z.string().min(1).optional(),
	/** Encrypts secrets at rest (model endpoints' API keys); else a key generated into DATA_DIR. */
	QUORUM_SECRET_KEY: z.string().min(16, 'use at least 16 characters').optional(),
	EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
	APP_URL: z.url().optional(),
	SECURE_COOKIES: booleanString.optional(),
	TRUST_PROXY: booleanString.default(false),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
	SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
	LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
	LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).default(50),
	LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
	EXPORT_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
	WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
})

export type Env = z.infer<typeof EnvSchema>

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
	const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''))
	const result = EnvSchema.safeParse(cleaned)
	if (!result.success) {
		const problems = result.error.issues.map((issue) => {
			const name = issue.path.join('.')
			const got = source[name]
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
