/**
 * A worker run's progress (0..1) and, while it runs, an ETA from its rate so far: shared by
 * generation and judge runs, whose tasks are pending, done or failed.
 */
export function runProgress({
	status,
	startedAt,
	counts,
	now,
}: {
	status: string
	startedAt: Date | null
	counts: { tasks: number; pending: number; done: number; failed: number }
	now: Date
}): { progress: number; etaSeconds: number | null } {
	const finished = counts.done + counts.failed
	const progress = status === 'succeeded' ? 1 : counts.tasks === 0 ? 0 : finished / counts.tasks
	if (status !== 'running' || !startedAt || finished === 0) return { progress, etaSeconds: null }
	const elapsed = (now.getTime() - startedAt.getTime()) / 1000
	return { progress, etaSeconds: Math.round((elapsed / finished) * counts.pending) }
}
