import { prisma } from '#app/utils/db.server.ts'

/** The project's judgment count, counted no further than `limit` so the check stays cheap on huge projects. */
export async function countJudgmentsUpTo({ projectId, limit }: { projectId: string; limit: number }) {
	const [row] = await prisma.$queryRaw<{ count: number }[]>`
		SELECT count(*)::int AS count FROM (SELECT 1 FROM judgments WHERE project_id = ${projectId}::uuid LIMIT ${limit}) t`
	return row?.count ?? 0
}
