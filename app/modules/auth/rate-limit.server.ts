import { prisma } from '#app/utils/db.server.ts'

/**
 * Fixed-window counters kept in Postgres, so every app replica shares them. `hit` adds one and
 * returns the count in the current window, in one statement, so concurrent hits each see their own
 * number; `peek` reads without counting; `release` gives one back.
 */
export async function hitRateLimit({ key, windowMs, now = new Date() }: { key: string; windowMs: number; now?: Date }) {
	const windowStartCutoff = new Date(now.getTime() - windowMs)
	const rows = await prisma.$queryRaw<{ count: number; window_start: Date }[]>`
		INSERT INTO rate_limits (key, count, window_start) VALUES (${key}, 1, ${now})
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN rate_limits.window_start <= ${windowStartCutoff} THEN 1 ELSE rate_limits.count + 1 END,
			window_start = CASE WHEN rate_limits.window_start <= ${windowStartCutoff} THEN ${now} ELSE rate_limits.window_start END
		RETURNING count, window_start`
	const row = rows[0]!
	return { count: row.count, resetAt: new Date(row.window_start.getTime() + windowMs) }
}

export async function peekRateLimit({
	key,
	windowMs,
	now = new Date(),
}: {
	key: string
	windowMs: number
	now?: Date
}) {
	const row = await prisma.rateLimit.findUnique({ where: { key } })
	if (!row || row.windowStart.getTime() <= now.getTime() - windowMs) return { count: 0, resetAt: now }
	return { count: row.count, resetAt: new Date(row.windowStart.getTime() + windowMs) }
}

export async function resetRateLimit({ key }: { key: string }) {
	await prisma.rateLimit.deleteMany({ where: { key } })
}

export async function releaseRateLimit({ key }: { key: string }) {
	await prisma.$executeRaw`UPDATE rate_limits SET count = count - 1 WHERE key = ${key} AND count > 0`
}

/** Counters whose window ended long ago only grow the table; the worker removes them every hour. */
export async function pruneRateLimits({ olderThanMs, now = new Date() }: { olderThanMs: number; now?: Date }) {
	const { count } = await prisma.rateLimit.deleteMany({
		where: { windowStart: { lt: new Date(now.getTime() - olderThanMs) } },
	})
	return { rateLimits: count }
}
