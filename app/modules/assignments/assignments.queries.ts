// Every raw statement of the assignments module, beside the rows it returns (ADR 0011). Statements
// of the annotator's loop run on the shared pool through `sql()`, named so that each connection
// prepares them once. The row locks taken inside Prisma transactions, which Prisma cannot express,
// are `Prisma.sql` fragments for `$queryRaw`.
import { Prisma } from '#app/generated/prisma/client.ts'
import type { LeaseState, ProjectStatus, RationaleMode, TaskType } from '#app/generated/prisma/enums.ts'

export type ProjectForAnnotationRow = {
	id: string
	slug: string
	name: string
	status: ProjectStatus
	task_type: TaskType
	overlap: number
	criteria: unknown
	flags: unknown
	use_strength: boolean
	rationale: RationaleMode
	randomize_order: boolean
	show_model_names: boolean
	gold_rate: number
	lease_seconds: number
	is_annotator: boolean
	is_member: boolean
	guideline_version: number
}

/** The project, the caller's membership and the current guideline version, in one round trip. */
export const projectForAnnotationQuery = ({ slug, userId }: { slug: string; userId: string }) => ({
	name: 'quorum_project_for_annotation',
	text: `SELECT p.id::text, p.slug, p.name, p.status::text, p.task_type::text, p.overlap, p.criteria, p.flags, p.use_strength,
				p.rationale::text, p.randomize_order, p.show_model_names, p.gold_rate, p.lease_seconds,
				EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = $2::uuid AND m.role = 'annotator') AS is_annotator,
				EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = $2::uuid) AS is_member,
				COALESCE((SELECT max(g.version) FROM guideline_versions g WHERE g.project_id = p.id), 0) AS guideline_version
			FROM projects p WHERE p.slug = $1`,
	values: [slug, userId],
})

export type ClaimRow = {
	lease_id: string
	expires_at: Date
	display_order: string[]
	draft: unknown
	resumed: boolean
	item_id: string
	external_id: string
	context: unknown
	responses: { key: string; content: string; model: string | null }[]
	/** `items.rendered`: the item's HTML, if it was rendered before (`render-item.server.ts`). */
	rendered: unknown
}

/** `prisma/sql/functions/quorum_claim_next.sql`. */
export const claimNextQuery = (args: {
	projectId: string
	userId: string
	overlap: number
	leaseSeconds: number
	now: Date
	wantGold: boolean
	randomizeOrder: boolean
}) => ({
	name: 'quorum_claim_next',
	text: 'SELECT * FROM quorum_claim_next($1, $2, $3, $4, $5, $6, $7)',
	values: [args.projectId, args.userId, args.overlap, args.leaseSeconds, args.now, args.wantGold, args.randomizeOrder],
})

export type PreviewRow = {
	item_id: string
	external_id: string
	context: unknown
	rendered: unknown
	responses: { key: string; content: string; model: string | null }[]
}

/** The item `quorum_claim_next` would most likely lease to the caller now, read without locking or leasing anything. */
export const previewNextQuery = ({
	projectId,
	userId,
	overlap,
	now,
}: {
	projectId: string
	userId: string
	overlap: number
	now: Date
}) => ({
	name: 'quorum_preview_next',
	text: `SELECT i.id::text AS item_id, i.external_id, i.context, i.rendered,
				(SELECT json_agg(json_build_object('key', r.key, 'content', r.content, 'model', r.model) ORDER BY r.position) FROM responses r WHERE r.item_id = i.id) AS responses
			FROM items i
			WHERE i.project_id = $1::uuid AND i.is_open AND NOT i.is_gold
				AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = $2::uuid)
				AND i.judgment_count + (SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.state = 'active' AND busy.expires_at > $3) < COALESCE(i.target_count, $4)
			ORDER BY i.priority DESC, i.seq
			LIMIT 1`,
	values: [projectId, userId, now, overlap],
})

export type WorkAvailabilityRow = { waiting: number; earliest: Date | null }

/** Open items the caller has not seen that are busy only because others hold leases on them now. */
export const workAvailabilityQuery = ({
	projectId,
	userId,
	overlap,
	now,
}: {
	projectId: string
	userId: string
	overlap: number
	now: Date
}) => ({
	name: 'quorum_work_availability',
	text: `SELECT count(*)::int AS waiting, min(busy_until) AS earliest FROM (
			SELECT i.id, (SELECT min(l.expires_at) FROM leases l WHERE l.item_id = i.id AND l.state = 'active' AND l.expires_at > $1) AS busy_until
			FROM items i
			WHERE i.project_id = $2::uuid AND i.is_open AND NOT i.is_gold
				AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = $3::uuid)
				AND i.judgment_count < COALESCE(i.target_count, $4)
			LIMIT 1000
		) open_items WHERE busy_until IS NOT NULL`,
	values: [now, projectId, userId, overlap],
})

/** A judgment as the API returns it after a submission. */
export type JudgmentRow = {
	id: string
	item_id: string
	lease_id: string | null
	revision: number
	ranking: unknown
	both_bad: boolean
	strength: number | null
	created_at: Date
	updated_at: Date
}

/** `replay` comes through json_build_object, so its timestamps are ISO strings. */
export type SubmissionCheckRow = {
	user_id: string
	display_order: string[]
	name: string
	status: ProjectStatus
	task_type: TaskType
	criteria: unknown
	flags: unknown
	use_strength: boolean
	rationale: RationaleMode
	replay: (Omit<JudgmentRow, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string }) | null
}

/** The lease's owner and project rules, and the judgment already stored under this idempotency key. */
export const submissionCheckQuery = ({
	leaseId,
	userId,
	idempotencyKey,
}: {
	leaseId: string
	userId: string
	idempotencyKey: string
}) => ({
	name: 'quorum_submission_check',
	text: `SELECT l.user_id::text, l.display_order, p.name, p.status::text, p.task_type::text, p.criteria, p.flags,
				p.use_strength, p.rationale::text,
				(SELECT json_build_object('id', j.id, 'item_id', j.item_id, 'lease_id', j.lease_id, 'revision', j.revision, 'ranking', j.ranking,
					'both_bad', j.both_bad, 'strength', j.strength, 'created_at', j.created_at, 'updated_at', j.updated_at)
					FROM judgments j WHERE j.user_id = $2::uuid AND j.idempotency_key = $3) AS replay
			FROM leases l JOIN projects p ON p.id = l.project_id WHERE l.id = $1::uuid`,
	values: [leaseId, userId, idempotencyKey],
})

/** `outcome`: stored, replay, or why the function refused (not_found, item_missing, item_complete, lease_<state>, project_<status>). */
export type SubmissionRow = { outcome: string } & JudgmentRow

/** `prisma/sql/functions/quorum_submit_judgment.sql`. */
export const submitJudgmentQuery = (args: {
	leaseId: string
	userId: string
	idempotencyKey: string
	ranking: string[][]
	bothBad: boolean
	strength: number | null
	criteria: Record<string, Record<string, number>> | null
	flags: Record<string, string[]> | null
	rationale: string | null
	activeMs: number | null
	now: Date
}) => ({
	name: 'quorum_submit_judgment',
	text: 'SELECT * FROM quorum_submit_judgment($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
	values: [
		args.leaseId,
		args.userId,
		args.idempotencyKey,
		JSON.stringify(args.ranking),
		args.bothBad,
		args.strength,
		args.criteria ? JSON.stringify(args.criteria) : null,
		args.flags ? JSON.stringify(args.flags) : null,
		args.rationale,
		args.activeMs,
		args.now,
	],
})

/** A project as `quorum_assignment_project` returns it (JSON, so numbers and strings only). */
export type AssignmentProjectJson = {
	id: string
	slug: string
	name: string
	status: ProjectStatus
	task_type: TaskType
	overlap: number
	criteria: unknown
	flags: unknown
	use_strength: boolean
	rationale: RationaleMode
	randomize_order: boolean
	show_model_names: boolean
	gold_rate: number
	lease_seconds: number
	guideline_version: number
	/** The fingerprint of the columns a judgment is validated against. */
	rules: string
}

/** A claim as JSON: `quorum_claim_next`'s row through row_to_json, so its timestamp is a string. */
export type ClaimJson = Omit<ClaimRow, 'expires_at'> & { expires_at: string }

type CredentialArgs = { kind: 'token' | 'session'; id: string; hash: Buffer; sessionMs: number; sessionMaxMs: number }

export type AuthenticatedRow = {
	user_id: string | null
	email: string | null
	display_name: string | null
	roles: string[] | null
}

export type SubmitAndNextRow = AuthenticatedRow & {
	outcome: string
	project: AssignmentProjectJson | null
	display_order: string[] | null
	judgment: (Omit<JudgmentRow, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string }) | null
	next_state: string | null
	next: ClaimJson | null
}

/** `prisma/sql/functions/quorum_submit_and_next.sql`: credential check, submission and next claim in one round trip. */
export const submitAndNextQuery = (args: {
	credential: CredentialArgs
	leaseId: string
	rules: string | null
	idempotencyKey: string
	ranking: string[][]
	bothBad: boolean
	strength: number | null
	criteria: Record<string, Record<string, number>> | null
	flags: Record<string, string[]> | null
	rationale: string | null
	activeMs: number | null
	now: Date
	next: boolean
	goldDraw: number
}) => ({
	name: 'quorum_submit_and_next',
	text: 'SELECT * FROM quorum_submit_and_next($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)',
	values: [
		args.credential.kind,
		args.credential.id,
		args.credential.hash,
		args.credential.sessionMs,
		args.credential.sessionMaxMs,
		args.leaseId,
		args.rules,
		args.idempotencyKey,
		JSON.stringify(args.ranking),
		args.bothBad,
		args.strength,
		args.criteria ? JSON.stringify(args.criteria) : null,
		args.flags ? JSON.stringify(args.flags) : null,
		args.rationale,
		args.activeMs,
		args.now,
		args.next,
		args.goldDraw,
	],
})

export type NextForRow = AuthenticatedRow & {
	outcome: string
	is_member: boolean | null
	project: AssignmentProjectJson | null
	next: ClaimJson | null
}

/** `prisma/sql/functions/quorum_next_for.sql`: credential check, project, permission and claim in one round trip. */
export const nextForQuery = ({
	credential,
	slug,
	now,
	goldDraw,
}: {
	credential: CredentialArgs
	slug: string
	now: Date
	goldDraw: number
}) => ({
	name: 'quorum_next_for',
	text: 'SELECT * FROM quorum_next_for($1, $2, $3, $4, $5, $6, $7, $8)',
	values: [
		credential.kind,
		credential.id,
		credential.hash,
		credential.sessionMs,
		credential.sessionMaxMs,
		slug,
		now,
		goldDraw,
	],
})

export const judgmentByKeyQuery = ({ userId, idempotencyKey }: { userId: string; idempotencyKey: string }) => ({
	name: 'quorum_judgment_by_key',
	text: `SELECT id::text, item_id::text, lease_id::text, revision, ranking, both_bad, strength, created_at, updated_at
		FROM judgments WHERE user_id = $1::uuid AND idempotency_key = $2`,
	values: [userId, idempotencyKey],
})

/** `complete`: items closed with their judgments; an item waiting for responses is closed but not done (ADR 0016). */
export type WorkspaceProgressRow = { mine: number; today: number; total: number; complete: number }

export const workspaceProgressQuery = ({
	projectId,
	userId,
	startOfDay,
}: {
	projectId: string
	userId: string
	startOfDay: Date
}) => ({
	name: 'quorum_workspace_progress',
	text: `SELECT
				(SELECT count(*)::int FROM judgments WHERE project_id = $1::uuid AND user_id = $2::uuid) AS mine,
				(SELECT count(*)::int FROM judgments WHERE project_id = $1::uuid AND user_id = $2::uuid AND created_at >= $3) AS today,
				count(*)::int AS total, count(*) FILTER (WHERE NOT is_open AND NOT awaiting_responses)::int AS complete
			FROM items WHERE project_id = $1::uuid AND NOT is_gold`,
	values: [projectId, userId, startOfDay],
})

export type LockedLeaseRow = {
	id: string
	project_id: string
	item_id: string
	user_id: string
	state: LeaseState
	expires_at: Date
	display_order: string[]
	is_gold: boolean
}

/** Inside a Prisma transaction: the lease, locked until the transaction ends. */
export const lockLeaseQuery = (leaseId: string) =>
	Prisma.sql`SELECT id::text, project_id::text, item_id::text, user_id::text, state::text, expires_at, display_order, is_gold
		FROM leases WHERE id = ${leaseId}::uuid FOR UPDATE`

/** Inside a Prisma transaction: the caller's judgment, locked until the transaction ends. */
export const lockJudgmentQuery = ({ judgmentId, userId }: { judgmentId: string; userId: string }) =>
	Prisma.sql`SELECT id::text FROM judgments WHERE id = ${judgmentId}::uuid AND user_id = ${userId}::uuid FOR UPDATE`
