import { readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { prisma } from '#app/utils/db.server.ts'
import { exportDir, getEnv } from '#app/utils/env.server.ts'

const UUID_PREFIX = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\.tmp-[0-9a-f]+)?$/

/**
 * Deletes the files of exports that finished more than `retentionDays` ago (the rows stay, as the
 * record of what was exported, with `path` cleared), and folders in the export directory that no
 * export owns any more: its project was deleted, or a killed attempt left a temporary folder.
 */
export async function pruneExports({
	retentionDays = getEnv().EXPORT_RETENTION_DAYS,
	now = new Date(),
	dir = exportDir(),
}: { retentionDays?: number; now?: Date; dir?: string } = {}) {
	let expired = 0
	if (retentionDays > 0) {
		const cutoff = new Date(now.getTime() - retentionDays * 86_400_000)
		const old = await prisma.export.findMany({
			where: { path: { not: null }, finishedAt: { lt: cutoff } },
			select: { id: true, path: true },
		})
		for (const row of old) {
			await rm(path.resolve(dir, row.path!), { recursive: true, force: true })
			await prisma.export.update({ where: { id: row.id }, data: { path: null } })
			expired++
		}
	}

	const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return [] as string[]
		throw error
	})
	const candidates = names.map((name) => ({ name, match: UUID_PREFIX.exec(name) })).filter((entry) => entry.match)
	const ids = [...new Set(candidates.map((entry) => entry.match![1]!))]
	const rows = ids.length
		? await prisma.export.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, path: true } })
		: []
	const byId = new Map(rows.map((row) => [row.id, row]))
	let orphans = 0
	for (const { name, match } of candidates) {
		const row = byId.get(match![1]!)
		const temporary = match![2] !== undefined
		// A running export owns its temporary folder; a queued one may be about to.
		const keep =
			row &&
			(temporary ? row.status === 'running' || row.status === 'queued' : row.path === name || row.status === 'running')
		if (keep) continue
		await rm(path.join(dir, name), { recursive: true, force: true })
		orphans++
	}
	return { expired, orphans }
}
