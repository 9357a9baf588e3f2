import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { conflict } from '#app/utils/errors.ts'
import { getJudgeRun, loadJudgeRunForUser } from './get-judge-run.server.ts'

/** Cancels a queued or running judge run; the worker sees it within a second and stops calling the judge. */
export async function cancelJudgeRun({ id, user, ip }: { id: string; user: SessionUser; ip?: string | null }) {
	const run = await loadJudgeRunForUser({ id, user })
	if (run.status !== 'cancelled') {
		const now = new Date()
		const { count } = await prisma.judgeRun.updateMany({
			where: { id, status: { in: ['queued', 'running'] } },
			data: { status: 'cancelled', cancelledAt: now, finishedAt: now },
		})
		if (count === 0) {
			const current = await prisma.judgeRun.findUniqueOrThrow({ where: { id }, select: { status: true } })
			if (current.status !== 'cancelled')
				throw conflict(`The judge run has already ${current.status}; only queued or running runs can be cancelled`, {
					reason: `judge_run_${current.status}`,
				})
		} else {
			await recordAudit({
				actorId: user.id,
				action: 'judge_run.cancelled',
				targetType: 'judge_run',
				targetId: id,
				projectId: run.projectId,
				ip,
			})
		}
	}
	return getJudgeRun({ id, user })
}
