import type { Role } from '#app/generated/prisma/enums.ts'
import { readOnlyToken, REFUSED_TOKEN, requireCredential } from '#app/modules/auth/authenticate.server.ts'
import type { Credential } from '#app/modules/auth/credential.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { sql } from '#app/utils/db.server.ts'
import { assertUuid, conflict, fieldErrorsFromZod, invalid, notFound, unauthenticated } from '#app/utils/errors.ts'
import { projectRules, toAssignmentProject, type AssignmentProject } from './assignment-project.ts'
import {
	submitAndNextQuery,
	type AssignmentProjectJson,
	type AuthenticatedRow,
	type ClaimJson,
	type SubmitAndNextRow,
} from './assignments.queries.ts'
import { JudgmentInputSchema, validateJudgmentForProject, type ParsedJudgment } from './judgment.schema.ts'
import { cachedRules, rememberRules } from './rules-cache.ts'
import { assignmentFromRow, judgmentFromRow, type Assignment, type StoredJudgment } from './serialize-assignment.ts'
import { isUniqueViolation, submissionRefusal } from './submit-judgment.server.ts'

/** What came after the submission: the next assignment, nothing to do now, or why no claim was made. */
export type NextState =
	| { state: 'ready'; assignment: Assignment }
	| { state: 'none' }
	| { state: 'forbidden' }
	| { state: `project_${'draft' | 'paused' | 'archived'}` }

export function userFromRow(row: AuthenticatedRow): SessionUser {
	return { id: row.user_id!, email: row.email!, displayName: row.display_name!, roles: row.roles as Role[] }
}

export function assignmentProjectFromJson(project: AssignmentProjectJson): AssignmentProject {
	return toAssignmentProject(
		{
			id: project.id,
			slug: project.slug,
			name: project.name,
			taskType: project.task_type,
			criteria: project.criteria,
			flags: project.flags,
			useStrength: project.use_strength,
			rationale: project.rationale,
			showModelNames: project.show_model_names,
			leaseSeconds: project.lease_seconds,
		},
		project.guideline_version,
	)
}

export function assignmentFromJson(claim: ClaimJson, project: AssignmentProjectJson): Assignment {
	return assignmentFromRow({ ...claim, expires_at: new Date(claim.expires_at) }, assignmentProjectFromJson(project))
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function rulesOf(project: AssignmentProjectJson) {
	return projectRules({
		taskType: project.task_type,
		useStrength: project.use_strength,
		rationale: project.rationale,
		criteria: project.criteria,
		flags: project.flags,
	})
}

/** The ids a judgment ranks, once each: what it is validated against before the database has confirmed them. */
function rankedIds(data: ParsedJudgment) {
	return [...new Set(data.ranking.flat())]
}

/**
 * Stores a judgment and, with `next`, claims the caller's next item: the credential check, the
 * submission and the claim are one SQL statement (`quorum_submit_and_next`), so one round trip.
 * The judgment is validated against the project's rules first; the rules this credential used last
 * time are assumed, and the database stores nothing if they are no longer the project's (it then
 * answers with the current rules, and the judgment is validated again). A replay of the same
 * idempotency key returns the stored judgment and the caller's open lease as `next`; it never claims.
 */
export async function submitAndNext({
	credential,
	leaseId,
	input,
	next,
	now = new Date(),
	random = Math.random,
}: {
	credential: Credential
	leaseId: string
	input: unknown
	next: boolean
	now?: Date
	random?: () => number
}): Promise<{
	user: SessionUser
	judgment: StoredJudgment
	replay: boolean
	next: NextState | null
	project: AssignmentProjectJson
}> {
	const parsed = JudgmentInputSchema.safeParse(input)
	if (!parsed.success) {
		// Who is asking comes before what is wrong with the request, as on every other endpoint.
		await requireCredential(credential, now)
		throw invalid('The judgment is invalid', fieldErrorsFromZod(parsed.error.issues))
	}
	const data = parsed.data
	if (!UUID.test(leaseId)) {
		await requireCredential(credential, now)
		assertUuid(leaseId, 'assignment')
	}

	let fingerprint: string | null = null
	const known = cachedRules(credential.id)
	if (
		known &&
		validateJudgmentForProject({ input: data, rules: known.rules, responseIds: rankedIds(data) }).length === 0
	)
		fingerprint = known.fingerprint
	const goldDraw = random()

	for (let attempt = 0; attempt < 4; attempt++) {
		let row: SubmitAndNextRow | undefined
		try {
			;[row] = await sql<SubmitAndNextRow>(
				submitAndNextQuery({
					credential,
					leaseId,
					rules: fingerprint,
					idempotencyKey: data.idempotencyKey,
					ranking: data.ranking,
					bothBad: data.bothBad,
					strength: data.strength ?? null,
					criteria: data.criteria ?? null,
					flags: data.flags ?? null,
					rationale: data.rationale?.trim() || null,
					activeMs: data.activeMs ?? null,
					now,
					next,
					goldDraw,
				}),
			)
		} catch (error) {
			// Another submission of this item committed first: asking again finds it a replay, or refuses.
			if (!isUniqueViolation(error) || attempt > 0) {
				if (isUniqueViolation(error))
					throw conflict('You already judged this item; edit that judgment instead', { reason: 'already_judged' })
				throw error
			}
			continue
		}
		if (!row) throw new Error('quorum_submit_and_next returned no row')
		if (row.outcome === 'unauthenticated')
			throw unauthenticated(credential.kind === 'token' ? REFUSED_TOKEN : 'Your session has expired.')
		if (row.outcome === 'read_only') throw readOnlyToken()
		if (row.outcome === 'not_found') throw notFound('No such assignment')
		const project = row.project!
		const rules = rulesOf(project)
		rememberRules(credential.id, { fingerprint: project.rules, rules })
		if (row.outcome === 'rules') {
			const errors = validateJudgmentForProject({ input: data, rules, responseIds: row.display_order ?? [] })
			if (errors.length > 0) throw invalid('The judgment does not fit this project', errors)
			fingerprint = project.rules
			continue
		}
		if (row.outcome !== 'stored' && row.outcome !== 'replay') throw submissionRefusal(row.outcome, project.name)
		const judgment = row.judgment!
		return {
			user: userFromRow(row),
			judgment: judgmentFromRow({
				...judgment,
				created_at: new Date(judgment.created_at),
				updated_at: new Date(judgment.updated_at),
			}),
			replay: row.outcome === 'replay',
			next: next ? nextState(row, project) : null,
			project,
		}
	}
	throw conflict('The project changed while this judgment was being stored; send it again', { reason: 'rules_changed' })
}

function nextState(row: SubmitAndNextRow, project: AssignmentProjectJson): NextState {
	if (row.next_state === 'ready' && row.next)
		return { state: 'ready', assignment: assignmentFromJson(row.next, project) }
	if (row.next_state === 'forbidden' || row.next_state === 'none') return { state: row.next_state }
	return { state: row.next_state as `project_${'draft' | 'paused' | 'archived'}` }
}
