import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { assertUuid, notFound } from '#app/utils/errors.ts'
import { exportInclude, serializeExport } from './serialize-export.ts'

/** Loads an export the user may see: they can create exports and read its project. */
export async function loadExportForUser({ exportId, user }: { exportId: string; user: SessionUser }) {
	assertPermission(user, 'create:exports')
	assertUuid(exportId, 'export')
	const record = await prisma.export.findUnique({ where: { id: exportId }, include: exportInclude })
	if (!record) throw notFound('No such export')
	await getProjectForUser({ slug: record.project.slug, user, access: 'read' })
	return record
}

export async function getExport({
	exportId,
	user,
	withManifest = false,
}: {
	exportId: string
	user: SessionUser
	withManifest?: boolean
}) {
	return serializeExport(await loadExportForUser({ exportId, user }), { withManifest })
}
