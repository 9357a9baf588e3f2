import { runJudge, type RunJudgeHooks } from '#app/modules/judging/run-judge.server.ts'
import type { JobHandler } from '../registry.ts'

/** Tests instrument the run through this; nothing sets it in production. */
export const judgeRunHooks: RunJudgeHooks = {}

const handle: JobHandler<{ runId: string }> = async ({ payload, signal, log }) =>
	runJudge({ runId: payload.runId, signal, log: log.child({ runId: payload.runId }), hooks: judgeRunHooks })

export default handle
