import type { Credential } from '#app/modules/auth/credential.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { sql } from '#app/utils/db.server.ts'
import { forbidden, notFound, unauthenticated } from '#app/utils/errors.ts'
import { hasPermission } from '#app/utils/permissions.ts'
import { assertProjectOpenForWork, projectRules } from './assignment-project.ts'
import { nextForQuery, type NextForRow } from './assignments.queries.ts'
import { rememberRules } from './rules-cache.ts'
import type { Assignment } from './serialize-assignment.ts'
import { assignmentFromJson, userFromRow } from './submit-and-next.server.ts'
import { readOnlyToken, REFUSED_TOKEN } from '#app/modules/auth/authenticate.server.ts'

/**
 * `claimNext` for a credential that has not been checked yet: the credential, the project, the
 * caller's right to annotate it and the claim are one SQL statement (`quorum_next_for`). The same
 * rules and errors as `claimNext`.
 */
export async function claimNextFor({
	credential,
	slug,
	now = new Date(),
	random = Math.random,
}: {
	credential: Credential
	slug: string
	now?: Date
	random?: () => number
}): Promise<{ user: SessionUser; assignment: Assignment | null }> {
	const [row] = await sql<NextForRow>(nextForQuery({ credential, slug, now, goldDraw: random() }))
	if (!row || row.outcome === 'unauthenticated')
		throw unauthenticated(credential.kind === 'token' ? REFUSED_TOKEN : 'Your session has expired.')
	if (row.outcome === 'read_only') throw readOnlyToken()
	const user = userFromRow(row)
	if (row.outcome === 'no_project') throw notFound(`No project "${slug}"`)
	if (row.outcome === 'forbidden') {
		if (!row.is_member && !hasPermission(user, 'read:projects:all')) throw notFound(`No project "${slug}"`)
		throw forbidden('You cannot annotate this project')
	}
	const project = row.project!
	if (row.outcome.startsWith('project_')) assertProjectOpenForWork({ status: project.status, name: project.name })
	rememberRules(credential.id, {
		fingerprint: project.rules,
		rules: projectRules({
			taskType: project.task_type,
			useStrength: project.use_strength,
			rationale: project.rationale,
			criteria: project.criteria,
			flags: project.flags,
		}),
	})
	return { user, assignment: row.next ? assignmentFromJson(row.next, project) : null }
}
