import { buildExport, type BuildExportHooks } from '#app/modules/exports/build-export.server.ts'
import type { JobHandler } from '../registry.ts'

/** Tests instrument the export through this; nothing sets it in production. */
export const exportBuildHooks: BuildExportHooks = {}

const handle: JobHandler<{ exportId: string }> = async ({ payload, signal, retryCount, retryLimit, log }) =>
	buildExport({
		exportId: payload.exportId,
		signal,
		isLastAttempt: retryCount >= retryLimit,
		log: log.child({ exportId: payload.exportId }),
		hooks: exportBuildHooks,
	})

export default handle
