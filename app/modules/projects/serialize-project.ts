import type { OverlapMode, PairPolicy, ProjectStatus, RationaleMode, TaskType } from '#app/generated/prisma/enums.ts'
import { generationSettings } from '#app/modules/generations/generation.schema.ts'
import { judgingSettings } from '#app/modules/judging/judging.schema.ts'
import { arenaSettings } from './arena-settings.ts'
import { parseCriteria, parseFlags } from './json-columns.ts'
import { overlapPolicy } from './overlap-policy.ts'

type ProjectRow = {
	id: string
	slug: string
	name: string
	description: string
	taskType: TaskType
	overlap: number
	overlapMode: OverlapMode
	overlapMax: number | null
	overlapConfidence: number | null
	criteria: unknown
	flags: unknown
	useStrength: boolean
	rationale: RationaleMode
	randomizeOrder: boolean
	showModelNames: boolean
	goldRate: number
	leaseSeconds: number
	generation?: unknown
	pairPolicy?: PairPolicy
	arena?: unknown
	judging?: unknown
	status: ProjectStatus
	createdAt: Date
	updatedAt: Date
}

/** The public shape of a project in the API and in loaders: dates as ISO strings, JSON columns typed. */
export function serializeProject(project: ProjectRow) {
	return {
		id: project.id,
		slug: project.slug,
		name: project.name,
		description: project.description,
		taskType: project.taskType,
		overlap: project.overlap,
		overlapPolicy: overlapPolicy(project),
		criteria: parseCriteria(project.criteria),
		flags: parseFlags(project.flags),
		useStrength: project.useStrength,
		rationale: project.rationale,
		randomizeOrder: project.randomizeOrder,
		showModelNames: project.showModelNames,
		goldRate: project.goldRate,
		leaseSeconds: project.leaseSeconds,
		generation: generationSettings(project.generation),
		pairPolicy: project.pairPolicy ?? 'uniform',
		arena: arenaSettings(project.arena),
		judging: judgingSettings(project.judging),
		status: project.status,
		createdAt: project.createdAt.toISOString(),
		updatedAt: project.updatedAt.toISOString(),
	}
}
export type ProjectJson = ReturnType<typeof serializeProject>
