import type { ProjectStatus, TaskType } from '#app/generated/prisma/enums.ts'
import type { FieldError } from '#app/utils/errors.ts'
import type { StoredCriterion } from './json-columns.ts'

export type Criterion = StoredCriterion

/** draft → active ⇄ paused → archived; a draft nobody needs can be archived straight away. */
export const STATUS_TRANSITIONS: Record<ProjectStatus, readonly ProjectStatus[]> = {
	draft: ['active', 'archived'],
	active: ['paused', 'archived'],
	paused: ['active', 'archived'],
	archived: [],
}

export const STATUS_ACTIONS: {
	from: ProjectStatus
	to: ProjectStatus
	label: string
	tone: 'primary' | 'secondary' | 'danger'
}[] = [
	{ from: 'draft', to: 'active', label: 'Activate', tone: 'primary' },
	{ from: 'active', to: 'paused', label: 'Pause', tone: 'secondary' },
	{ from: 'paused', to: 'active', label: 'Resume', tone: 'primary' },
	{ from: 'draft', to: 'archived', label: 'Archive', tone: 'danger' },
	{ from: 'active', to: 'archived', label: 'Archive', tone: 'danger' },
	{ from: 'paused', to: 'archived', label: 'Archive', tone: 'danger' },
]

export function statusActionsFor(status: ProjectStatus) {
	return STATUS_ACTIONS.filter((action) => action.from === status)
}

export function lockReason(judgmentCount: number) {
	const judgments = judgmentCount === 1 ? '1 judgment' : `${judgmentCount.toLocaleString('en-US')} judgments`
	return `Locked because this project already has ${judgments}; changing it would make them inconsistent. Create a new project for a different setup.`
}

type Settings = { taskType: TaskType; criteria: Criterion[]; flags: string[] }

const key = (name: string) => name.trim().toLowerCase()

/**
 * Changes that would corrupt judgments already collected: the task type, and removing (or
 * rescaling) criteria and flags that judgments refer to. Adding criteria and flags, and editing
 * descriptions, stay allowed.
 */
export function lockedChanges({
	before,
	after,
	judgmentCount,
}: {
	before: Settings
	after: Partial<Settings>
	judgmentCount: number
}): FieldError[] {
	if (judgmentCount === 0) return []
	const reason = lockReason(judgmentCount)
	const errors: FieldError[] = []
	if (after.taskType !== undefined && after.taskType !== before.taskType) {
		errors.push({
			path: 'taskType',
			message: `taskType cannot change from "${before.taskType}" to "${after.taskType}". ${reason}`,
		})
	}
	if (after.criteria) {
		const next = new Map(after.criteria.map((criterion) => [key(criterion.name), criterion]))
		for (const criterion of before.criteria) {
			const kept = next.get(key(criterion.name))
			if (!kept)
				errors.push({ path: 'criteria', message: `criterion "${criterion.name}" cannot be removed. ${reason}` })
			else if (kept.min !== criterion.min || kept.max !== criterion.max) {
				errors.push({
					path: 'criteria',
					message: `the scale of criterion "${criterion.name}" (${criterion.min}–${criterion.max}) cannot change. ${reason}`,
				})
			}
		}
	}
	if (after.flags) {
		const next = new Set(after.flags.map(key))
		for (const flag of before.flags) {
			if (!next.has(key(flag))) errors.push({ path: 'flags', message: `flag "${flag}" cannot be removed. ${reason}` })
		}
	}
	return errors
}
