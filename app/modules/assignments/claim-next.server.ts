import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { sql } from '#app/utils/db.server.ts'
import { assertProjectOpenForWork, toAssignmentProject } from './assignment-project.ts'
import { claimNextQuery, type ClaimRow } from './assignments.queries.ts'
import { projectForAnnotation } from './project-for-annotation.server.ts'
import { assignmentFromRow, type Assignment } from './serialize-assignment.ts'

/**
 * Leases the next unit of work for an annotator, or returns null when there is none for them now.
 * An open lease is resumed first. Candidates are locked with SKIP LOCKED so concurrent claimers
 * spread over different items; the capacity check is repeated after the lock, where it cannot
 * race, because every claim and every submission takes the item's row lock first. The claim runs
 * in Postgres (`prisma/sql/functions/quorum_claim_next.sql`) as one round trip.
 */
export async function claimNext({
	slug,
	user,
	now = new Date(),
	random = Math.random,
}: {
	slug: string
	user: SessionUser
	now?: Date
	random?: () => number
}): Promise<Assignment | null> {
	const project = await projectForAnnotation({ slug, user })
	assertProjectOpenForWork(project)
	const assignmentProject = toAssignmentProject(project, project.guidelineVersion)
	const wantGold = project.goldRate > 0 && random() < project.goldRate
	const [row] = await sql<ClaimRow>(
		claimNextQuery({
			projectId: project.id,
			userId: user.id,
			overlap: project.overlap,
			leaseSeconds: project.leaseSeconds,
			now,
			wantGold,
			randomizeOrder: project.randomizeOrder,
		}),
	)
	return row ? assignmentFromRow(row, assignmentProject) : null
}
