import { describe, expect, test } from 'vitest'
import type { WorkspaceState } from './types.ts'
import { applyActionResult, type WorkspaceView } from './workspace-view.ts'

const waiting: WorkspaceState = { state: 'waiting', retryAt: null }
const done: WorkspaceState = { state: 'done' }
const start: WorkspaceView = {
	work: waiting,
	progress: { mine: 1, today: 1, itemsTotal: 10, itemsComplete: 0 },
	lastJudgmentId: 'j1',
	notice: null,
	sessionExpired: false,
	result: null,
}

describe('applyActionResult', () => {
	test('a submission moves on to the next work, keeps the judgment for U and says it was saved', () => {
		const result = {
			ok: true as const,
			intent: 'submit',
			judgmentId: 'j2',
			work: done,
			progress: { mine: 2, today: 2, itemsTotal: 10, itemsComplete: 1 },
		}
		const view = applyActionResult({ ...start, sessionExpired: true }, result)
		expect(view).toEqual({
			work: done,
			progress: result.progress,
			lastJudgmentId: 'j2',
			notice: { tone: 'info', text: 'Saved. Press U to revise it.' },
			sessionExpired: false,
			result,
		})
	})

	test('a skip keeps the last judgment and clears the notice', () => {
		const view = applyActionResult(
			{ ...start, notice: { tone: 'info', text: 'Saved. Press U to revise it.' } },
			{ ok: true, intent: 'skip', judgmentId: null, work: done },
		)
		expect(view).toMatchObject({ work: done, progress: start.progress, lastJudgmentId: 'j1', notice: null })
	})

	test('a refusal keeps the work and shows the message with its fields', () => {
		const result = {
			ok: false as const,
			error: 'VALIDATION',
			message: 'Invalid judgment',
			fieldErrors: [{ path: 'ranking[0]', message: 'Unknown response' }],
		}
		const view = applyActionResult(start, result)
		expect(view).toEqual({
			...start,
			notice: { tone: 'error', text: 'Invalid judgment', fieldErrors: result.fieldErrors },
			result,
		})
	})

	test('an expired session only raises the flag', () => {
		const notice = { tone: 'info' as const, text: 'Saved. Press U to revise it.' }
		const result = { ok: false as const, error: 'session_expired', message: 'Your session has expired.' }
		expect(applyActionResult({ ...start, notice }, result)).toEqual({ ...start, notice, sessionExpired: true, result })
	})
})
