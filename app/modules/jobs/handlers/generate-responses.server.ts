import { runGeneration, type RunGenerationHooks } from '#app/modules/generations/run-generation.server.ts'
import type { JobHandler } from '../registry.ts'

/** Tests instrument the run through this; nothing sets it in production. */
export const generationHooks: RunGenerationHooks = {}

const handle: JobHandler<{ runId: string }> = async ({ payload, signal, log }) =>
	runGeneration({ runId: payload.runId, signal, log: log.child({ runId: payload.runId }), hooks: generationHooks })

export default handle
