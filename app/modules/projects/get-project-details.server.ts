import { readJudging } from '#app/modules/analytics/judging-settings.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from './get-project.server.ts'
import { assertCanReadProjects } from './policies.ts'
import { getProjectCounts } from './project-stats.server.ts'
import { serializeProject } from './serialize-project.ts'

/** A project with its counts, for admins, engineers and the project's reviewers. */
export async function getProjectDetails({ slug, user }: { slug: string; user: SessionUser }) {
	assertCanReadProjects(user)
	const project = await getProjectForUser({ slug, user, access: 'read' })
	const counts = await getProjectCounts({
		projectId: project.id,
		overlap: project.overlap,
		includeModel: readJudging(project.judging).includeInAnalytics,
	})
	return { ...serializeProject(project), ...counts }
}
