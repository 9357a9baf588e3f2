import { pruneExports } from '#app/modules/exports/prune-exports.server.ts'
import type { JobHandler } from '../registry.ts'

const handle: JobHandler<Record<string, never>> = async ({ log }) => {
	const result = await pruneExports()
	if (result.expired || result.orphans) log.info('pruned exports', result)
	return result
}

export default handle
