import { pruneRateLimits } from '#app/modules/auth/rate-limit.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import type { JobHandler } from '../registry.ts'

const handle: JobHandler<Record<string, never>> = async ({ log }) => {
	const result = await pruneRateLimits({ olderThanMs: getEnv().LOGIN_WINDOW_MINUTES * 60_000 })
	if (result.rateLimits) log.info('pruned ended rate-limit windows', result)
	return result
}

export default handle
