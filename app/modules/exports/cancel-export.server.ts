import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { conflict } from '#app/utils/errors.ts'
import { loadExportForUser } from './get-export.server.ts'
import { exportInclude, serializeExport } from './serialize-export.ts'

/**
 * Cancels a queued or running export. The worker sees the status between batches, stops, and
 * removes what it had written; a queued job finds it cancelled and does nothing.
 */
export async function cancelExport({
	exportId,
	user,
	ip,
}: {
	exportId: string
	user: SessionUser
	ip?: string | null
}) {
	const record = await loadExportForUser({ exportId, user })
	if (record.status === 'cancelled') return serializeExport(record)
	const now = new Date()
	const updated = await prisma.$transaction(async (tx) => {
		const { count } = await tx.export.updateMany({
			where: { id: exportId, status: { in: ['queued', 'running'] } },
			data: { status: 'cancelled', cancelledAt: now, finishedAt: now },
		})
		if (count === 0) return null
		await recordAudit(
			{
				actorId: user.id,
				action: 'export.cancelled',
				targetType: 'export',
				targetId: exportId,
				projectId: record.projectId,
				ip,
			},
			tx,
		)
		return tx.export.findUniqueOrThrow({ where: { id: exportId }, include: exportInclude })
	})
	if (!updated) {
		const current = await prisma.export.findUniqueOrThrow({ where: { id: exportId }, select: { status: true } })
		if (current.status === 'cancelled') return serializeExport({ ...record, status: 'cancelled' })
		throw conflict(`The export has already ${current.status}; only queued or running exports can be cancelled`, {
			reason: `export_${current.status}`,
		})
	}
	return serializeExport(updated)
}
