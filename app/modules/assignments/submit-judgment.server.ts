import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { ProjectStatusSchema } from '#app/modules/projects/project.schema.ts'
import { sql } from '#app/utils/db.server.ts'
import { AppError, assertUuid, conflict, fieldErrorsFromZod, forbidden, invalid, notFound } from '#app/utils/errors.ts'
import { assertProjectOpenForWork, projectRules } from './assignment-project.ts'
import {
	judgmentByKeyQuery,
	submissionCheckQuery,
	submitJudgmentQuery,
	type JudgmentRow,
	type SubmissionCheckRow,
	type SubmissionRow,
} from './assignments.queries.ts'
import { JudgmentInputSchema, validateJudgmentForProject } from './judgment.schema.ts'
import { judgmentFromRow, type StoredJudgment } from './serialize-assignment.ts'

const SUBMISSION_REFUSALS: Record<string, () => AppError> = {
	not_found: () => notFound('No such assignment'),
	item_missing: () => notFound('The item no longer exists'),
	item_complete: () =>
		conflict('Your lease expired and this item already has all the judgments it needs; nothing was saved', {
			reason: 'item_complete',
		}),
	lease_submitted: () =>
		conflict('This assignment was already submitted; edit the judgment instead', { reason: 'already_submitted' }),
	not_annotator: () => forbidden('You can no longer annotate this project'),
}

export function isUniqueViolation(error: unknown) {
	if (typeof error !== 'object' || error === null) return false
	const { code, meta, message } = error as { code?: string; meta?: { code?: string }; message?: string }
	return (
		code === 'P2002' || code === '23505' || meta?.code === '23505' || /unique constraint|23505/i.test(message ?? '')
	)
}

async function findJudgmentByKey({ userId, idempotencyKey }: { userId: string; idempotencyKey: string }) {
	const [row] = await sql<JudgmentRow>(judgmentByKeyQuery({ userId, idempotencyKey }))
	return row ? judgmentFromRow(row) : null
}

/**
 * Stores a judgment for a lease. Idempotent by the client's key: a replay returns the stored
 * judgment. A lease that expired is still honoured while the item needs judgments. The judgment is
 * checked against the project's rules first, then `quorum_submit_judgment`
 * (`prisma/sql/functions/quorum_submit_judgment.sql`) re-checks the lease and the item under their
 * locks and stores everything in one round trip.
 */
export async function submitJudgment({
	leaseId,
	user,
	input,
	now = new Date(),
}: {
	leaseId: string
	user: SessionUser
	input: unknown
	now?: Date
}): Promise<{ judgment: StoredJudgment; replay: boolean }> {
	const parsed = JudgmentInputSchema.safeParse(input)
	if (!parsed.success) throw invalid('The judgment is invalid', fieldErrorsFromZod(parsed.error.issues))
	const data = parsed.data
	assertUuid(leaseId, 'assignment')

	const [lease] = await sql<SubmissionCheckRow>(
		submissionCheckQuery({ leaseId, userId: user.id, idempotencyKey: data.idempotencyKey }),
	)
	if (!lease || lease.user_id !== user.id) throw notFound('No such assignment')
	if (lease.replay) {
		const replay = {
			...lease.replay,
			created_at: new Date(lease.replay.created_at),
			updated_at: new Date(lease.replay.updated_at),
		}
		return { judgment: judgmentFromRow(replay), replay: true }
	}
	if (lease.status !== 'active' && lease.status !== 'paused') assertProjectOpenForWork(lease)
	const rules = projectRules({
		taskType: lease.task_type,
		useStrength: lease.use_strength,
		rationale: lease.rationale,
		criteria: lease.criteria,
		flags: lease.flags,
	})
	const errors = validateJudgmentForProject({ input: data, rules, responseIds: lease.display_order })
	if (errors.length > 0) throw invalid('The judgment does not fit this project', errors)

	// The lease's state is checked under its lock by the function, which says why it refused.
	let stored: SubmissionRow | undefined
	try {
		;[stored] = await sql<SubmissionRow>(
			submitJudgmentQuery({
				leaseId,
				userId: user.id,
				idempotencyKey: data.idempotencyKey,
				ranking: data.ranking,
				bothBad: data.bothBad,
				strength: data.strength ?? null,
				criteria: data.criteria ?? null,
				flags: data.flags ?? null,
				rationale: data.rationale?.trim() || null,
				activeMs: data.activeMs ?? null,
				now,
			}),
		)
	} catch (error) {
		if (!isUniqueViolation(error)) throw error
		const again = await findJudgmentByKey({ userId: user.id, idempotencyKey: data.idempotencyKey })
		if (again) return { judgment: again, replay: true }
		throw conflict('You already judged this item; edit that judgment instead', { reason: 'already_judged' })
	}
	if (!stored) throw new Error('quorum_submit_judgment returned no row')
	if (stored.outcome === 'stored' || stored.outcome === 'replay')
		return { judgment: judgmentFromRow(stored), replay: stored.outcome === 'replay' }
	throw submissionRefusal(stored.outcome, lease.name)
}

/** The error for an `outcome` by which `quorum_submit_judgment` refused a submission. */
export function submissionRefusal(outcome: string, projectName: string): AppError {
	const refusal = SUBMISSION_REFUSALS[outcome]
	if (refusal) return refusal()
	if (outcome.startsWith('project_')) {
		try {
			assertProjectOpenForWork({
				status: ProjectStatusSchema.parse(outcome.slice('project_'.length)),
				name: projectName,
			})
		} catch (error) {
			if (error instanceof AppError) return error
			throw error
		}
	}
	return conflict(`This assignment was ${outcome.replace(/^lease_/, '')} and takes no judgment`, { reason: outcome })
}
