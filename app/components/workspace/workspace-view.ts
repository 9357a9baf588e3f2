import type { Progress, WorkspaceActionResult, WorkspaceState } from './types.ts'

export type Notice = { tone: 'error' | 'info'; text: string; fieldErrors?: { path: string; message: string }[] }

/** What the workspace shows between items, and the action result it last took in. */
export type WorkspaceView = {
	work: WorkspaceState
	progress: Progress
	lastJudgmentId: string | null
	notice: Notice | null
	sessionExpired: boolean
	result: WorkspaceActionResult | null
}

/**
 * The view after an answer of the annotate action: the next item and progress from a success,
 * a message from a refusal. An expired session changes nothing but the flag, so the item and
 * its selection stay on screen while the person logs in again.
 */
export function applyActionResult(view: WorkspaceView, result: WorkspaceActionResult): WorkspaceView {
	if (result.ok) {
		return {
			work: result.work ?? view.work,
			progress: result.progress ?? view.progress,
			lastJudgmentId: result.judgmentId || view.lastJudgmentId,
			notice: result.intent === 'submit' ? { tone: 'info', text: 'Saved. Press U to revise it.' } : null,
			sessionExpired: false,
			result,
		}
	}
	if (result.error === 'session_expired') return { ...view, sessionExpired: true, result }
	return { ...view, notice: { tone: 'error', text: result.message, fieldErrors: result.fieldErrors }, result }
}
