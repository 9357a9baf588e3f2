import { JudgeRunBusyError, runJudge, type RunJudgeHooks } from '#app/modules/judging/run-judge.server.ts'
import { failRunAfterLastAttempt } from '#app/modules/models/fail-run.server.ts'
import type { JobHandler } from '../registry.ts'

/** Tests instrument the run through this; nothing sets it in production. */
export const judgeRunHooks: RunJudgeHooks = {}

const handle: JobHandler<{ runId: string }> = async ({ payload, signal, log, retryCount, retryLimit }) => {
	try {
		return await runJudge({
			runId: payload.runId,
			signal,
			log: log.child({ runId: payload.runId }),
			hooks: judgeRunHooks,
		})
	} catch (error) {
		// Busy: another worker holds the run and will finish it.
		if (retryCount >= retryLimit && !(error instanceof JudgeRunBusyError))
			await failRunAfterLastAttempt({ kind: 'judge', runId: payload.runId, error })
		throw error
	}
}

export default handle
