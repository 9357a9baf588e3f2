import { judgedAsPair } from '#app/modules/projects/arena-settings.ts'
import type { AssignmentView, Selection, WorkspaceProject } from './types.ts'

export function emptySelection(assignment: AssignmentView): Selection {
	return {
		idempotencyKey: crypto.randomUUID(),
		choice: null,
		strength: null,
		order: assignment.item.responses.map((r) => r.id),
		tiedWithPrevious: [],
		criteria: {},
		flags: {},
		rationale: '',
		activeMs: 0,
		savedAt: 0,
	}
}

function isSelection(value: unknown): value is Selection {
	return (
		!!value &&
		typeof value === 'object' &&
		typeof (value as Selection).idempotencyKey === 'string' &&
		Array.isArray((value as Selection).order)
	)
}

const draftKey = (leaseId: string) => `quorum:draft:${leaseId}`

/** The newest of the server draft and the browser's copy wins, so a crash or reload loses nothing. */
export function restoreSelection(assignment: AssignmentView): Selection {
	let local: unknown
	try {
		local = JSON.parse(localStorage.getItem(draftKey(assignment.leaseId)) ?? 'null')
	} catch {
		local = null
	}
	const candidates = [local, assignment.draft].filter(isSelection).sort((a, b) => b.savedAt - a.savedAt)
	const ids = new Set(assignment.item.responses.map((r) => r.id))
	const best = candidates.find((c) => c.order.length === ids.size && c.order.every((id) => ids.has(id)))
	return best ?? emptySelection(assignment)
}

export function storeLocalDraft(leaseId: string, selection: Selection) {
	try {
		localStorage.setItem(draftKey(leaseId), JSON.stringify(selection))
	} catch {
		// Storage full or disabled: the server copy still holds the draft.
	}
}

export function clearLocalDraft(leaseId: string) {
	try {
		localStorage.removeItem(draftKey(leaseId))
	} catch {
		// Nothing to clear.
	}
}

export function tiersOf(selection: Pick<Selection, 'order' | 'tiedWithPrevious'>): string[][] {
	const tiers: string[][] = []
	selection.order.forEach((id, index) => {
		if (index > 0 && selection.tiedWithPrevious.includes(id)) tiers[tiers.length - 1]!.push(id)
		else tiers.push([id])
	})
	return tiers
}

export type JudgmentPayload = {
	ranking: string[][]
	bothBad: boolean
	strength: number | null
	criteria: Record<string, Record<string, number>>
	flags: Record<string, string[]>
	rationale: string
	activeMs: number
	idempotencyKey: string
}

/** Returns the payload, or the reason it cannot be submitted yet. */
export function buildJudgment(
	selection: Selection,
	project: WorkspaceProject,
	assignment: AssignmentView,
): { ok: true; judgment: JudgmentPayload } | { ok: false; reason: string } {
	let ranking: string[][]
	let bothBad = false
	let strength: number | null = null
	if (judgedAsPair(project.taskType)) {
		const [a, b] = assignment.item.responses.map((r) => r.id) as [string, string]
		if (!selection.choice) return { ok: false, reason: 'Choose A, B, tie or both bad' }
		if (selection.choice === 'A') ranking = [[a], [b]]
		else if (selection.choice === 'B') ranking = [[b], [a]]
		else ranking = [[a, b]]
		bothBad = selection.choice === 'bothBad'
		if (selection.choice === 'A' || selection.choice === 'B') {
			if (project.strength && selection.strength === null) return { ok: false, reason: 'Set how much better it is' }
			strength = project.strength ? selection.strength : null
		}
	} else {
		const shown = assignment.item.responses.map((r) => r.id)
		const untouched =
			selection.tiedWithPrevious.length === 0 && selection.order.every((id, index) => id === shown[index])
		if (untouched && !selection.orderConfirmed)
			return { ok: false, reason: 'Move a response, or confirm that the shown order is your ranking (O)' }
		ranking = tiersOf(selection)
	}
	if (project.rationale === 'required' && !selection.rationale.trim()) return { ok: false, reason: 'Write a rationale' }
	return {
		ok: true,
		judgment: {
			ranking,
			bothBad,
			strength,
			criteria: selection.criteria,
			flags: selection.flags,
			rationale: project.rationale === 'off' ? '' : selection.rationale,
			activeMs: Math.round(selection.activeMs),
			idempotencyKey: selection.idempotencyKey,
		},
	}
}
