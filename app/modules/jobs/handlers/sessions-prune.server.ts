import { pruneExpiredSessions } from '#app/modules/auth/prune-sessions.server.ts'
import type { JobHandler } from '../registry.ts'

const handle: JobHandler<Record<string, never>> = async ({ log }) => {
	const result = await pruneExpiredSessions()
	if (result.sessions) log.info('pruned expired sessions', result)
	return result
}

export default handle
