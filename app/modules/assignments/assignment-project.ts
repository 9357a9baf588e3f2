import type { ProjectStatus, RationaleMode, TaskType } from '#app/generated/prisma/enums.ts'
import { judgedAsPair } from '#app/modules/projects/arena-settings.ts'
import { parseCriteria, parseFlags, type StoredCriterion } from '#app/modules/projects/json-columns.ts'
import { AppError } from '#app/utils/errors.ts'
import type { ProjectRules } from './judgment.schema.ts'

/** A project's settings as an annotator's client needs them to show and judge an item. */
export type AssignmentProject = {
	id: string
	slug: string
	name: string
	taskType: TaskType
	criteria: StoredCriterion[]
	flags: string[]
	strength: boolean
	rationale: RationaleMode
	showModelNames: boolean
	leaseSeconds: number
	guidelineVersion: number
}

export function toAssignmentProject(
	project: {
		id: string
		slug: string
		name: string
		taskType: TaskType
		criteria: unknown
		flags: unknown
		useStrength: boolean
		rationale: RationaleMode
		showModelNames: boolean
		leaseSeconds: number
	},
	guidelineVersion: number,
): AssignmentProject {
	return {
		id: project.id,
		slug: project.slug,
		name: project.name,
		taskType: project.taskType,
		criteria: parseCriteria(project.criteria),
		flags: parseFlags(project.flags),
		strength: judgedAsPair(project.taskType) && project.useStrength,
		rationale: project.rationale,
		// Comparison projects are judged blind, whatever the setting says.
		showModelNames: project.taskType !== 'comparison' && project.showModelNames,
		leaseSeconds: project.leaseSeconds,
		guidelineVersion,
	}
}

/** The rules a judgment must satisfy, from the project's columns. */
export function projectRules(project: {
	taskType: TaskType
	useStrength: boolean
	rationale: RationaleMode
	criteria: unknown
	flags: unknown
}): ProjectRules {
	return {
		taskType: project.taskType,
		useStrength: judgedAsPair(project.taskType) && project.useStrength,
		rationale: project.rationale,
		criteria: parseCriteria(project.criteria),
		flags: parseFlags(project.flags),
	}
}

export function assertProjectOpenForWork(project: { status: ProjectStatus; name: string }) {
	if (project.status === 'active') return
	const why =
		project.status === 'paused'
			? `"${project.name}" is paused. Your work so far is saved; come back when an admin resumes it.`
			: project.status === 'archived'
				? `"${project.name}" is archived and takes no more judgments.`
				: `"${project.name}" is still a draft and not open for work yet.`
	throw new AppError('CONFLICT', why, { extra: { reason: `project_${project.status}` } })
}
