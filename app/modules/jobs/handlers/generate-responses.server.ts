import {
	GenerationBusyError,
	runGeneration,
	type RunGenerationHooks,
} from '#app/modules/generations/run-generation.server.ts'
import { failRunAfterLastAttempt } from '#app/modules/models/fail-run.server.ts'
import type { JobHandler } from '../registry.ts'

/** Tests instrument the run through this; nothing sets it in production. */
export const generationHooks: RunGenerationHooks = {}

const handle: JobHandler<{ runId: string }> = async ({ payload, signal, log, retryCount, retryLimit }) => {
	try {
		return await runGeneration({
			runId: payload.runId,
			signal,
			log: log.child({ runId: payload.runId }),
			hooks: generationHooks,
		})
	} catch (error) {
		// Busy: another worker holds the run and will finish it.
		if (retryCount >= retryLimit && !(error instanceof GenerationBusyError))
			await failRunAfterLastAttempt({ kind: 'generation', runId: payload.runId, error })
		throw error
	}
}

export default handle
