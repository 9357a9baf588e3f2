import { useEffect, type RefObject } from 'react'
import { useFetcher } from 'react-router'
import { storeLocalDraft } from './selection.ts'
import type { Selection, WorkspaceActionResult } from './types.ts'

const SAVE_AFTER_MS = 1500

// Keyed by lease, so the workspace around the item reads the same fetcher's answers.
const fetcherKey = (leaseId: string | null) => `draft:${leaseId ?? 'none'}`

/**
 * Keeps the selection safe while the person works: every change goes to localStorage at once
 * and, once the selection has rested for a moment, to the server as the lease's draft.
 */
export function useDraftAutosave({
	action,
	leaseId,
	selection,
	activeMs,
	enabled,
}: {
	action: string
	leaseId: string
	selection: Selection
	activeMs: RefObject<number>
	enabled: boolean
}) {
	const { submit } = useFetcher<WorkspaceActionResult>({ key: fetcherKey(leaseId) })
	useEffect(() => {
		if (!enabled) return
		const snapshot = { ...selection, activeMs: activeMs.current, savedAt: Date.now() }
		storeLocalDraft(leaseId, snapshot)
		const timer = setTimeout(
			() =>
				submit({ intent: 'draft', leaseId, draft: snapshot } as never, {
					method: 'post',
					encType: 'application/json',
					action,
				}),
			SAVE_AFTER_MS,
		)
		return () => clearTimeout(timer)
	}, [selection, enabled, leaseId, action, activeMs, submit])
}

/** Whether the last draft saved for this lease was refused because the session expired. */
export function useDraftSessionExpired(leaseId: string | null) {
	const { data } = useFetcher<WorkspaceActionResult>({ key: fetcherKey(leaseId) })
	return !!data && !data.ok && data.error === 'session_expired'
}
