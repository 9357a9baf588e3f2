import { runProgress } from '#app/modules/models/run-progress.ts'

type RunRow = {
	id: string
	status: string
	options: unknown
	tasksTotal: number
	itemsTotal: number
	error: string | null
	createdAt: Date
	startedAt: Date | null
	finishedAt: Date | null
	cancelledAt: Date | null
	project: { slug: string; name: string }
	requestedBy: { email: string } | null
}

export type GenerationCounts = {
	items: number
	tasks: number
	done: number
	failed: number
	pending: number
	itemsOpened: number
	itemsMarked: number
}
export type GenerationError = { itemId: string; externalId: string; endpoint: string; sample: number; message: string }

/** `{status, progress, counts, errors}` with an ETA from the rate so far while running. */
export function serializeGeneration({
	run,
	counts,
	errors,
	now = new Date(),
}: {
	run: RunRow
	counts: GenerationCounts
	errors: GenerationError[]
	now?: Date
}) {
	const { progress, etaSeconds } = runProgress({ status: run.status, startedAt: run.startedAt, counts, now })
	return {
		id: run.id,
		project: run.project,
		status: run.status,
		progress,
		etaSeconds,
		counts,
		errors,
		options: run.options,
		error: run.error,
		requestedBy: run.requestedBy?.email ?? null,
		createdAt: run.createdAt.toISOString(),
		startedAt: run.startedAt?.toISOString() ?? null,
		finishedAt: run.finishedAt?.toISOString() ?? null,
		cancelledAt: run.cancelledAt?.toISOString() ?? null,
	}
}
export type SerializedGeneration = ReturnType<typeof serializeGeneration>

export const generationInclude = {
	project: { select: { slug: true, name: true } },
	requestedBy: { select: { email: true } },
} as const
