import type { AssignmentProject } from '#app/modules/assignments/assignment-project.ts'
import type { AssignmentView, ResponseView, WorkspaceState } from '#app/modules/assignments/workspace.server.ts'

export type { AssignmentView, ResponseView, WorkspaceState }

export type WorkspaceProject = Omit<AssignmentProject, 'guidelineVersion'> & { overlap: number; status: string }

export type Progress = { mine: number; today: number; itemsTotal: number; itemsComplete: number }

export type PairChoice = 'A' | 'B' | 'tie' | 'bothBad'

/** Everything the annotator has chosen for the current item; autosaved as a draft. */
export type Selection = {
	idempotencyKey: string
	choice: PairChoice | null
	strength: number | null
	order: string[]
	tiedWithPrevious: string[]
	/** A ranking left in the shown order counts only when the annotator says so (position bias). */
	orderConfirmed?: boolean
	criteria: Record<string, Record<string, number>>
	flags: Record<string, string[]>
	rationale: string
	activeMs: number
	savedAt: number
}

export const STRENGTHS = [
	{ value: 0, label: 'Negligible', key: 'q' },
	{ value: 1, label: 'Slight', key: 'w' },
	{ value: 2, label: 'Clear', key: 'e' },
	{ value: 3, label: 'Significant', key: 'r' },
] as const

export const CHOICES: { value: PairChoice; label: string; key: string }[] = [
	{ value: 'A', label: 'A is better', key: '1' },
	{ value: 'B', label: 'B is better', key: '2' },
	{ value: 'tie', label: 'Tie', key: '3' },
	{ value: 'bothBad', label: 'Both bad', key: '4' },
]

/** What the annotate route's action answers, for every intent. */
export type WorkspaceActionResult =
	| {
			ok: true
			intent: string
			work?: WorkspaceState
			progress?: Progress
			judgmentId?: string | null
			lease?: { expiresAt: string }
	  }
	| {
			ok: false
			error: string
			message: string
			fieldErrors?: { path: string; message: string }[]
			reason?: string | null
	  }
