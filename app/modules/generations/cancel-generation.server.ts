import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { conflict } from '#app/utils/errors.ts'
import { getGeneration, loadGenerationForUser } from './get-generation.server.ts'

/** Cancels a queued or running run; the worker sees it within a second and stops calling models. */
export async function cancelGeneration({ id, user, ip }: { id: string; user: SessionUser; ip?: string | null }) {
	const run = await loadGenerationForUser({ id, user })
	if (run.status !== 'cancelled') {
		const now = new Date()
		const { count } = await prisma.generationRun.updateMany({
			where: { id, status: { in: ['queued', 'running'] } },
			data: { status: 'cancelled', cancelledAt: now, finishedAt: now },
		})
		if (count === 0) {
			const current = await prisma.generationRun.findUniqueOrThrow({ where: { id }, select: { status: true } })
			if (current.status !== 'cancelled')
				throw conflict(`The generation has already ${current.status}; only queued or running runs can be cancelled`, {
					reason: `generation_${current.status}`,
				})
		} else {
			await recordAudit({
				actorId: user.id,
				action: 'generation.cancelled',
				targetType: 'generation',
				targetId: id,
				projectId: run.projectId,
				ip,
			})
		}
	}
	return getGeneration({ id, user })
}
