import { prisma } from '#app/utils/db.server.ts'

/** A project's latest imports, newest first, refused ones included. */
export async function listImports({ projectId, limit = 10 }: { projectId: string; limit?: number }) {
	const rows = await prisma.import.findMany({
		where: { projectId },
		orderBy: { createdAt: 'desc' },
		take: limit,
		select: {
			id: true,
			format: true,
			filename: true,
			imported: true,
			updated: true,
			unchanged: true,
			errorCount: true,
			createdAt: true,
			user: { select: { displayName: true } },
		},
	})
	return rows.map((row) => ({
		...row,
		refused: row.errorCount > 0 && row.imported + row.updated + row.unchanged === 0,
		createdAt: row.createdAt.toISOString(),
		by: row.user?.displayName ?? null,
	}))
}
