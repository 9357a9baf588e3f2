import { runProgress } from '#app/modules/models/run-progress.ts'

type RunRow = {
	id: string
	status: string
	options: unknown
	templateVersion: number
	error: string | null
	createdAt: Date
	startedAt: Date | null
	finishedAt: Date | null
	cancelledAt: Date | null
	project: { slug: string; name: string }
	requestedBy: { email: string } | null
	endpoint: { id: string; name: string; model: string } | null
	judgeUser: { id: string; displayName: string }
}

export type JudgeRunCounts = {
	items: number
	tasks: number
	done: number
	failed: number
	pending: number
	/** Items whose judgment this run wrote. */
	itemsJudged: number
	/** Of those, how many the two orders disagreed on. */
	itemsInconsistent: number
}
export type JudgeRunError = { itemId: string; externalId: string; order: number; message: string }

/** The same shape as a generation: `{status, progress, etaSeconds, counts, errors}`, plus the judge. */
export function serializeJudgeRun({
	run,
	counts,
	errors,
	now = new Date(),
}: {
	run: RunRow
	counts: JudgeRunCounts
	errors: JudgeRunError[]
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
		endpoint: run.endpoint,
		judge: { id: run.judgeUser.id, displayName: run.judgeUser.displayName },
		templateVersion: run.templateVersion,
		options: run.options,
		error: run.error,
		requestedBy: run.requestedBy?.email ?? null,
		createdAt: run.createdAt.toISOString(),
		startedAt: run.startedAt?.toISOString() ?? null,
		finishedAt: run.finishedAt?.toISOString() ?? null,
		cancelledAt: run.cancelledAt?.toISOString() ?? null,
	}
}
export type SerializedJudgeRun = ReturnType<typeof serializeJudgeRun>

export const judgeRunInclude = {
	project: { select: { slug: true, name: true } },
	requestedBy: { select: { email: true } },
	endpoint: { select: { id: true, name: true, model: true } },
	judgeUser: { select: { id: true, displayName: true } },
} as const
