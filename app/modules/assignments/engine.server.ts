import { Prisma as PrismaNamespace, type Prisma } from '#app/generated/prisma/client.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma, sql } from '#app/utils/db.server.ts'
import { AppError, assertUuid, conflict, forbidden, invalid, notFound } from '#app/utils/errors.ts'
import { hasPermission, hasRole } from '#app/utils/permissions.ts'
import {
	EditJudgmentSchema,
	JudgmentInputSchema,
	SkipInputSchema,
	validateJudgmentForProject,
	type ProjectRules,
} from './judgment.schema.ts'
import { assertMayAnnotate } from './assert-may-annotate.server.ts'

type Tx = Prisma.TransactionClient
type Clock = { now?: Date }

export type AssignmentProject = {
	id: string
	slug: string
	name: string
	taskType: 'pairwise' | 'ranking'
	criteria: { name: string; description: string; min: number; max: number }[]
	flags: string[]
	strength: boolean
	rationale: 'off' | 'optional' | 'required'
	showModelNames: boolean
	leaseSeconds: number
	guidelineVersion: number
}

export type Assignment = {
	lease: { id: string; expiresAt: string }
	item: {
		id: string
		externalId: string
		context: { prompt: string } | { messages: { role: string; content: string }[] }
		responses: { id: string; content: string; model?: string | null }[]
	}
	project: AssignmentProject
	draft: unknown
}

function toAssignmentProject(
	project: {
		id: string
		slug: string
		name: string
		taskType: 'pairwise' | 'ranking'
		criteria: unknown
		flags: unknown
		useStrength: boolean
		rationale: 'off' | 'optional' | 'required'
		showModelNames: boolean
		leaseSeconds: number
	},
	guidelineVersion: number,
): AssignmentProject {
	return {
		id: project.id,
		slug: project.slug,
		name: project.name,
		taskType: project.taskType,
		criteria: project.criteria as AssignmentProject['criteria'],
		flags: project.flags as string[],
		strength: project.taskType === 'pairwise' && project.useStrength,
		rationale: project.rationale,
		showModelNames: project.showModelNames,
		leaseSeconds: project.leaseSeconds,
		guidelineVersion,
	}
}

export function rulesOf(project: Pick<AssignmentProject, 'taskType' | 'strength' | 'rationale' | 'criteria' | 'flags'>): ProjectRules {
	return { taskType: project.taskType, useStrength: project.strength, rationale: project.rationale, criteria: project.criteria, flags: project.flags }
}

async function currentGuidelineVersion(db: Tx | typeof prisma, projectId: string) {
	const latest = await db.guidelineVersion.findFirst({ where: { projectId }, orderBy: { version: 'desc' }, select: { version: true } })
	return latest?.version ?? 0
}

export function assertProjectOpenForWork(project: { status: string; name: string }) {
	if (project.status === 'active') return
	const why =
		project.status === 'paused'
			? `"${project.name}" is paused. Your work so far is saved; come back when an admin resumes it.`
			: project.status === 'archived'
				? `"${project.name}" is archived and takes no more judgments.`
				: `"${project.name}" is still a draft and not open for work yet.`
	throw new AppError('CONFLICT', why, { extra: { reason: `project_${project.status}` } })
}

type AnnotationProjectRow = {
	id: string
	slug: string
	name: string
	status: 'draft' | 'active' | 'paused' | 'archived'
	task_type: 'pairwise' | 'ranking'
	overlap: number
	criteria: unknown
	flags: unknown
	use_strength: boolean
	rationale: 'off' | 'optional' | 'required'
	randomize_order: boolean
	show_model_names: boolean
	gold_rate: number
	lease_seconds: number
	is_annotator: boolean
	is_member: boolean
	guideline_version: number
}

/** The project, the caller's membership and the current guideline version, in one round trip. */
async function projectForAnnotation({ slug, user }: { slug: string; user: SessionUser }) {
	const [row] = await sql<AnnotationProjectRow>({
		name: 'quorum_project_for_annotation',
		text: `SELECT p.id::text, p.slug, p.name, p.status::text, p.task_type::text, p.overlap, p.criteria, p.flags, p.use_strength,
				p.rationale::text, p.randomize_order, p.show_model_names, p.gold_rate, p.lease_seconds,
				EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = $2::uuid AND m.role = 'annotator') AS is_annotator,
				EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = $2::uuid) AS is_member,
				COALESCE((SELECT max(g.version) FROM guideline_versions g WHERE g.project_id = p.id), 0) AS guideline_version
			FROM projects p WHERE p.slug = $1`,
		values: [slug, user.id],
	})
	if (!row) throw notFound(`No project "${slug}"`)
	const allowed = hasRole(user, 'admin') || (hasRole(user, 'annotator') && row.is_annotator)
	if (!allowed) {
		if (!row.is_member && !hasPermission(user, 'read:projects:all')) throw notFound(`No project "${slug}"`)
		throw forbidden('You cannot annotate this project')
	}
	return {
		id: row.id,
		slug: row.slug,
		name: row.name,
		status: row.status,
		taskType: row.task_type,
		overlap: row.overlap,
		criteria: row.criteria,
		flags: row.flags,
		useStrength: row.use_strength,
		rationale: row.rationale,
		randomizeOrder: row.randomize_order,
		showModelNames: row.show_model_names,
		goldRate: row.gold_rate,
		leaseSeconds: row.lease_seconds,
		guidelineVersion: row.guideline_version,
	}
}

type ClaimRow = {
	lease_id: string
	expires_at: Date
	display_order: string[]
	draft: unknown
	resumed: boolean
	item_id: string
	external_id: string
	context: unknown
	responses: { key: string; content: string; model: string | null }[]
}

/**
 * Leases the next unit of work for an annotator, or returns null when there is none for them now.
 * An open lease is resumed first. Candidates are locked with SKIP LOCKED so concurrent claimers
 * spread over different items; the capacity check is repeated after the lock, where it cannot
 * race, because every claim and every submission takes the item's row lock first. The claim runs
 * in Postgres (`quorum_claim_next`, see the migration) as one round trip.
 */
export async function claimNext({ slug, user, now = new Date(), random = Math.random }: { slug: string; user: SessionUser; random?: () => number } & Clock) {
	const project = await projectForAnnotation({ slug, user })
	assertProjectOpenForWork(project)
	const assignmentProject = toAssignmentProject(project, project.guidelineVersion)
	const wantGold = project.goldRate > 0 && random() < project.goldRate
	const [row] = await sql<ClaimRow>({
		name: 'quorum_claim_next',
		text: 'SELECT * FROM quorum_claim_next($1, $2, $3, $4, $5, $6, $7)',
		values: [project.id, user.id, project.overlap, project.leaseSeconds, now, wantGold, project.randomizeOrder],
	})
	return row ? assignmentFromRow(row, assignmentProject) : null
}

function assignmentFromRow(row: ClaimRow, project: AssignmentProject): Assignment {
	const byKey = new Map(row.responses.map((response) => [response.key, response]))
	return {
		lease: { id: row.lease_id, expiresAt: row.expires_at.toISOString() },
		item: {
			id: row.item_id,
			externalId: row.external_id,
			context: row.context as Assignment['item']['context'],
			responses: row.display_order.map((key) => {
				const response = byKey.get(key)!
				return project.showModelNames ? { id: key, content: response.content, model: response.model } : { id: key, content: response.content }
			}),
		},
		project,
		draft: row.draft ?? null,
	}
}

/** Why there is nothing to do: everything is done, or the rest is leased by others right now. */
export async function workAvailability({ projectId, userId, overlap, now = new Date() }: { projectId: string; userId: string; overlap: number } & Clock) {
	const [row] = await prisma.$queryRaw<{ waiting: number; earliest: Date | null }[]>`
		SELECT count(*)::int AS waiting, min(busy_until) AS earliest FROM (
			SELECT i.id, (SELECT min(l.expires_at) FROM leases l WHERE l.item_id = i.id AND l.state = 'active' AND l.expires_at > ${now}) AS busy_until
			FROM items i
			WHERE i.project_id = ${projectId}::uuid AND i.is_open AND NOT i.is_gold
				AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = ${userId}::uuid)
				AND i.judgment_count < ${overlap}
			LIMIT 1000
		) open_items WHERE busy_until IS NOT NULL`
	return { waitingOnOthers: (row?.waiting ?? 0) > 0, retryAt: row?.earliest?.toISOString() ?? null }
}

async function lockLeaseForUser(tx: Tx, leaseId: string, userId: string) {
	assertUuid(leaseId, 'assignment')
	const [lease] = await tx.$queryRaw<
		{ id: string; project_id: string; item_id: string; user_id: string; state: string; expires_at: Date; display_order: string[]; is_gold: boolean }[]
	>`SELECT id::text, project_id::text, item_id::text, user_id::text, state::text, expires_at, display_order, is_gold
		FROM leases WHERE id = ${leaseId}::uuid FOR UPDATE`
	if (!lease || lease.user_id !== userId) throw notFound('No such assignment')
	return lease
}

export async function renewLease({ leaseId, user, now = new Date() }: { leaseId: string; user: SessionUser } & Clock) {
	return prisma.$transaction(async (tx) => {
		const lease = await lockLeaseForUser(tx, leaseId, user.id)
		if (lease.state !== 'active') throw conflict('This assignment is already closed', { reason: `lease_${lease.state}` })
		if (lease.expires_at.getTime() <= now.getTime()) {
			throw conflict('This assignment expired; submit it anyway, or take the next item', { reason: 'lease_expired' })
		}
		const project = await tx.project.findUniqueOrThrow({ where: { id: lease.project_id }, select: { leaseSeconds: true } })
		const expiresAt = new Date(now.getTime() + project.leaseSeconds * 1000)
		await tx.$executeRaw`UPDATE leases SET expires_at = ${expiresAt} WHERE id = ${leaseId}::uuid`
		return { id: leaseId, expiresAt: expiresAt.toISOString() }
	})
}

const MAX_DRAFT_BYTES = 200_000

export async function saveDraft({ leaseId, user, draft }: { leaseId: string; user: SessionUser; draft: unknown }) {
	assertUuid(leaseId, 'assignment')
	const text = JSON.stringify(draft ?? null)
	if (text.length > MAX_DRAFT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'The draft is too large to save')
	const { count } = await prisma.lease.updateMany({
		where: { id: leaseId, userId: user.id, state: 'active' },
		data: { draft: draft === null || draft === undefined ? PrismaNamespace.DbNull : (draft as Prisma.InputJsonValue) },
	})
	if (count === 0) throw notFound('No open assignment to save a draft for')
}

export async function skipLease({ leaseId, user, input, now = new Date() }: { leaseId: string; user: SessionUser; input: unknown } & Clock) {
	const { reason } = SkipInputSchema.parse(input)
	return prisma.$transaction(async (tx) => {
		const lease = await lockLeaseForUser(tx, leaseId, user.id)
		if (lease.state === 'skipped') return { skipped: true, replay: true }
		if (lease.state !== 'active') throw conflict(`This assignment is already ${lease.state}`)
		await tx.$executeRaw`UPDATE leases SET state = 'skipped', closed_at = ${now}, draft = NULL WHERE id = ${leaseId}::uuid`
		await tx.skip.create({ data: { leaseId, itemId: lease.item_id, userId: user.id, reason: reason || null, createdAt: now } })
		return { skipped: true, replay: false }
	})
}

export type StoredJudgment = {
	id: string
	itemId: string
	leaseId: string | null
	revision: number
	ranking: string[][]
	bothBad: boolean
	strength: number | null
	createdAt: string
	updatedAt: string
}

function serializeJudgment(row: {
	id: string
	itemId: string
	leaseId: string | null
	revision: number
	ranking: unknown
	bothBad: boolean
	strength: number | null
	createdAt: Date
	updatedAt: Date
}): StoredJudgment {
	return {
		id: row.id,
		itemId: row.itemId,
		leaseId: row.leaseId,
		revision: row.revision,
		ranking: row.ranking as string[][],
		bothBad: row.bothBad,
		strength: row.strength,
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString(),
	}
}


function isUniqueViolation(error: unknown) {
	if (typeof error !== 'object' || error === null) return false
	const { code, meta, message } = error as { code?: string; meta?: { code?: string }; message?: string }
	return code === 'P2002' || code === '23505' || meta?.code === '23505' || /unique constraint|23505/i.test(message ?? '')
}

type SubmissionCheckRow = {
	user_id: string
	display_order: string[]
	name: string
	status: string
	task_type: 'pairwise' | 'ranking'
	criteria: unknown
	flags: unknown
	use_strength: boolean
	rationale: 'off' | 'optional' | 'required'
	replay: JudgmentRow | null
}

type SubmissionRow = { outcome: string } & JudgmentRow

const SUBMISSION_REFUSALS: Record<string, () => AppError> = {
	not_found: () => notFound('No such assignment'),
	item_missing: () => notFound('The item no longer exists'),
	item_complete: () => conflict('Your lease expired and this item already has all the judgments it needs; nothing was saved', { reason: 'item_complete' }),
	lease_submitted: () => conflict('This assignment was already submitted; edit the judgment instead', { reason: 'already_submitted' }),
	not_annotator: () => forbidden('You can no longer annotate this project'),
}

/**
 * Stores a judgment for a lease. Idempotent by the client's key: a replay returns the stored
 * judgment. A lease that expired is still honoured while the item needs judgments. The judgment is
 * checked against the project's rules first, then `quorum_submit_judgment` (see the migration)
 * re-checks the lease and the item under their locks and stores everything in one round trip.
 */
export async function submitJudgment({
	leaseId,
	user,
	input,
	now = new Date(),
}: { leaseId: string; user: SessionUser; input: unknown } & Clock): Promise<{ judgment: StoredJudgment; replay: boolean }> {
	const parsed = JudgmentInputSchema.safeParse(input)
	if (!parsed.success) {
		throw invalid('The judgment is invalid', parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })))
	}
	const data = parsed.data
	assertUuid(leaseId, 'assignment')

	const [lease] = await sql<SubmissionCheckRow>({
		name: 'quorum_submission_check',
		text: `SELECT l.user_id::text, l.display_order, p.name, p.status::text, p.task_type::text, p.criteria, p.flags,
				p.use_strength, p.rationale::text,
				(SELECT json_build_object('id', j.id, 'item_id', j.item_id, 'lease_id', j.lease_id, 'revision', j.revision, 'ranking', j.ranking,
					'both_bad', j.both_bad, 'strength', j.strength, 'created_at', j.created_at, 'updated_at', j.updated_at)
					FROM judgments j WHERE j.user_id = $2::uuid AND j.idempotency_key = $3) AS replay
			FROM leases l JOIN projects p ON p.id = l.project_id WHERE l.id = $1::uuid`,
		values: [leaseId, user.id, data.idempotencyKey],
	})
	if (!lease || lease.user_id !== user.id) throw notFound('No such assignment')
	if (lease.replay) return { judgment: judgmentFromRow({ ...lease.replay, created_at: new Date(lease.replay.created_at), updated_at: new Date(lease.replay.updated_at) }), replay: true }
	if (lease.status !== 'active' && lease.status !== 'paused') assertProjectOpenForWork(lease)
	const rules = rulesOf({
		taskType: lease.task_type,
		strength: lease.task_type === 'pairwise' && lease.use_strength,
		rationale: lease.rationale,
		criteria: lease.criteria as AssignmentProject['criteria'],
		flags: lease.flags as string[],
	})
	const errors = validateJudgmentForProject({ input: data, rules, responseIds: lease.display_order })
	if (errors.length > 0) throw invalid('The judgment does not fit this project', errors)

	// The lease's state is checked under its lock by the function, which says why it refused.
	let stored: SubmissionRow | undefined
	try {
		;[stored] = await sql<SubmissionRow>({
			name: 'quorum_submit_judgment',
			text: 'SELECT * FROM quorum_submit_judgment($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
			values: [
				leaseId,
				user.id,
				data.idempotencyKey,
				JSON.stringify(data.ranking),
				data.bothBad,
				data.strength ?? null,
				data.criteria ? JSON.stringify(data.criteria) : null,
				data.flags ? JSON.stringify(data.flags) : null,
				data.rationale?.trim() || null,
				data.activeMs ?? null,
				now,
			],
		})
	} catch (error) {
		if (!isUniqueViolation(error)) throw error
		const again = await findJudgmentByKey(prisma, user.id, data.idempotencyKey)
		if (again) return { judgment: again, replay: true }
		throw conflict('You already judged this item; edit that judgment instead', { reason: 'already_judged' })
	}
	if (!stored) throw new Error('quorum_submit_judgment returned no row')
	if (stored.outcome === 'stored' || stored.outcome === 'replay') return { judgment: judgmentFromRow(stored), replay: stored.outcome === 'replay' }
	const refusal = SUBMISSION_REFUSALS[stored.outcome]
	if (refusal) throw refusal()
	if (stored.outcome.startsWith('project_')) {
		assertProjectOpenForWork({ status: stored.outcome.slice('project_'.length), name: lease.name })
	}
	throw conflict(`This assignment was ${stored.outcome.replace(/^lease_/, '')} and takes no judgment`, { reason: stored.outcome })
}

type JudgmentRow = {
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

function judgmentFromRow(row: JudgmentRow): StoredJudgment {
	return serializeJudgment({
		id: row.id,
		itemId: row.item_id,
		leaseId: row.lease_id,
		revision: row.revision,
		ranking: row.ranking,
		bothBad: row.both_bad,
		strength: row.strength,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
	})
}

async function findJudgmentByKey(db: Tx | typeof prisma, userId: string, idempotencyKey: string) {
	const [row] = await db.$queryRaw<JudgmentRow[]>`
		SELECT id::text, item_id::text, lease_id::text, revision, ranking, both_bad, strength, created_at, updated_at
		FROM judgments WHERE user_id = ${userId}::uuid AND idempotency_key = ${idempotencyKey}`
	return row ? judgmentFromRow(row) : null
}

/** An edit appends a revision; the judgment row always holds the latest one. */
export async function editJudgment({ judgmentId, user, input, now = new Date() }: { judgmentId: string; user: SessionUser; input: unknown } & Clock) {
	const parsed = EditJudgmentSchema.safeParse(input)
	if (!parsed.success) {
		throw invalid('The judgment is invalid', parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })))
	}
	const data = parsed.data
	assertUuid(judgmentId, 'judgment')
	return prisma.$transaction(async (tx) => {
		const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM judgments WHERE id = ${judgmentId}::uuid AND user_id = ${user.id}::uuid FOR UPDATE`
		if (!locked) throw notFound('No such judgment')
		const judgment = await tx.judgment.findUniqueOrThrow({ where: { id: judgmentId }, include: { project: true } })
		if (data.idempotencyKey) {
			const previous = await tx.judgmentRevision.findFirst({ where: { judgmentId, idempotencyKey: data.idempotencyKey } })
			if (previous) return { judgment: serializeJudgment(judgment), replay: true }
		}
		await assertMayAnnotate({ projectId: judgment.projectId, user, db: tx })
		if (judgment.project.status !== 'active') throw conflict('Judgments can be edited only while the project is active', { reason: `project_${judgment.project.status}` })
		const rules = rulesOf(toAssignmentProject(judgment.project, 0))
		const errors = validateJudgmentForProject({ input: data, rules, responseIds: judgment.displayOrder })
		if (errors.length > 0) throw invalid('The judgment does not fit this project', errors)
		const guidelineVersion = await currentGuidelineVersion(tx, judgment.projectId)
		const values = {
			ranking: data.ranking,
			bothBad: data.bothBad,
			strength: data.strength ?? null,
			criteria: data.criteria ?? undefined,
			flags: data.flags ?? undefined,
			rationale: data.rationale?.trim() || null,
			activeMs: data.activeMs ?? judgment.activeMs,
			guidelineVersion,
		}
		const revision = judgment.revision + 1
		await tx.judgmentRevision.create({ data: { judgmentId, revision, userId: user.id, idempotencyKey: data.idempotencyKey ?? null, createdAt: now, ...values } })
		const updated = await tx.judgment.update({ where: { id: judgmentId }, data: { ...values, revision, updatedAt: now } })
		return { judgment: serializeJudgment(updated), replay: false }
	})
}
