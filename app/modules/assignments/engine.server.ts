import { randomInt } from 'node:crypto'
import { Prisma as PrismaNamespace, type Prisma } from '#app/generated/prisma/client.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError, assertUuid, conflict, forbidden, invalid, notFound } from '#app/utils/errors.ts'
import { hasPermission, hasRole } from '#app/utils/permissions.ts'
import {
	EditJudgmentSchema,
	JudgmentInputSchema,
	SkipInputSchema,
	validateJudgmentForProject,
	type ProjectRules,
} from './judgment.schema.ts'

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

const CLAIM_ATTEMPTS = 64

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

function shuffled<T>(values: T[]) {
	const out = [...values]
	for (let i = out.length - 1; i > 0; i--) {
		const j = randomInt(i + 1)
		;[out[i], out[j]] = [out[j]!, out[i]!]
	}
	return out
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

async function loadAssignment(tx: Tx, leaseId: string, project: AssignmentProject): Promise<Assignment> {
	const [lease] = await tx.$queryRaw<
		{ id: string; expires_at: Date; display_order: string[]; draft: unknown; item_id: string; external_id: string; context: unknown; responses: { key: string; content: string; model: string | null }[] }[]
	>`SELECT l.id::text, l.expires_at, l.display_order, l.draft, i.id::text AS item_id, i.external_id, i.context,
			(SELECT json_agg(json_build_object('key', r.key, 'content', r.content, 'model', r.model)) FROM responses r WHERE r.item_id = i.id) AS responses
		FROM leases l JOIN items i ON i.id = l.item_id WHERE l.id = ${leaseId}::uuid`
	if (!lease) throw notFound('No such assignment')
	const byKey = new Map(lease.responses.map((response) => [response.key, response]))
	return {
		lease: { id: lease.id, expiresAt: lease.expires_at.toISOString() },
		item: {
			id: lease.item_id,
			externalId: lease.external_id,
			context: lease.context as Assignment['item']['context'],
			responses: lease.display_order.map((key) => {
				const response = byKey.get(key)!
				return project.showModelNames ? { id: key, content: response.content, model: response.model } : { id: key, content: response.content }
			}),
		},
		project,
		draft: lease.draft ?? null,
	}
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
	const [row] = await prisma.$queryRaw<AnnotationProjectRow[]>`
		SELECT p.id::text, p.slug, p.name, p.status::text, p.task_type::text, p.overlap, p.criteria, p.flags, p.use_strength,
			p.rationale::text, p.randomize_order, p.show_model_names, p.gold_rate, p.lease_seconds,
			EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = ${user.id}::uuid AND m.role = 'annotator') AS is_annotator,
			EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = ${user.id}::uuid) AS is_member,
			COALESCE((SELECT max(g.version) FROM guideline_versions g WHERE g.project_id = p.id), 0) AS guideline_version
		FROM projects p WHERE p.slug = ${slug}`
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

/**
 * Leases the next unit of work for an annotator, or returns null when there is none for them now.
 * Candidates are locked with SKIP LOCKED so concurrent claimers spread over different items; the
 * capacity check is repeated after the lock, where it cannot race, because every claim and every
 * submission takes the item's row lock first.
 */
export async function claimNext({ slug, user, now = new Date(), random = Math.random }: { slug: string; user: SessionUser; random?: () => number } & Clock) {
	const project = await projectForAnnotation({ slug, user })
	assertProjectOpenForWork(project)
	const assignmentProject = toAssignmentProject(project, project.guidelineVersion)

	return prisma.$transaction(async (tx) => {
		const existing = await tx.$queryRaw<{ id: string }[]>`
			SELECT id::text FROM leases
			WHERE user_id = ${user.id}::uuid AND project_id = ${project.id}::uuid AND state = 'active' AND expires_at > ${now}
			ORDER BY created_at LIMIT 1`
		if (existing[0]) {
			await tx.$executeRaw`UPDATE leases SET expires_at = ${new Date(now.getTime() + project.leaseSeconds * 1000)} WHERE id = ${existing[0].id}::uuid`
			return loadAssignment(tx, existing[0].id, assignmentProject)
		}

		const wantGold = project.goldRate > 0 && random() < project.goldRate
		let claimed = wantGold ? await claimGold(tx, project.id, user.id) : null
		const isGold = claimed !== null
		claimed ??= await claimRegular(tx, { projectId: project.id, userId: user.id, overlap: project.overlap, now })
		if (!claimed) return null
		const itemId = claimed.id
		const order = project.randomizeOrder ? shuffled(claimed.keys) : claimed.keys
		const expiresAt = new Date(now.getTime() + project.leaseSeconds * 1000)
		const lease = await tx.$queryRaw<{ id: string }[]>`
			INSERT INTO leases (project_id, item_id, user_id, display_order, is_gold, created_at, expires_at)
			VALUES (${project.id}::uuid, ${itemId}::uuid, ${user.id}::uuid, ${order}::text[], ${isGold}, ${now}, ${expiresAt})
			RETURNING id::text`
		return loadAssignment(tx, lease[0]!.id, assignmentProject)
	})
}

async function claimRegular(tx: Tx, { projectId, userId, overlap, now }: { projectId: string; userId: string; overlap: number; now: Date }) {
	// An item whose last free slot was leased while this statement's snapshot was taken fails the
	// check after the lock; it is skipped on the next attempt, so every attempt makes progress.
	const passed: string[] = []
	for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
		const candidates = await tx.$queryRaw<{ id: string }[]>`
			SELECT i.id::text FROM items i
			WHERE i.project_id = ${projectId}::uuid AND i.is_open AND NOT i.is_gold
				AND i.id <> ALL(${passed}::uuid[])
				AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = ${userId}::uuid)
				AND i.judgment_count + (
					SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.state = 'active' AND busy.expires_at > ${now}
				) < ${overlap}
			ORDER BY i.priority DESC, i.seq
			LIMIT 1
			FOR UPDATE OF i SKIP LOCKED`
		const candidate = candidates[0]
		if (!candidate) return null
		const [fresh] = await tx.$queryRaw<{ capacity_left: number; keys: string[] }[]>`
			SELECT (${overlap} - i.judgment_count - (
				SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.state = 'active' AND busy.expires_at > ${now}
			))::int AS capacity_left,
			ARRAY(SELECT r.key FROM responses r WHERE r.item_id = i.id ORDER BY r.position) AS keys
			FROM items i WHERE i.id = ${candidate.id}::uuid AND i.is_open`
		if (fresh && fresh.capacity_left > 0) return { id: candidate.id, keys: fresh.keys }
		passed.push(candidate.id)
	}
	return null
}

async function claimGold(tx: Tx, projectId: string, userId: string) {
	const rows = await tx.$queryRaw<{ id: string; keys: string[] }[]>`
		SELECT i.id::text, ARRAY(SELECT r.key FROM responses r WHERE r.item_id = i.id ORDER BY r.position) AS keys FROM items i
		WHERE i.project_id = ${projectId}::uuid AND i.is_gold
			AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = ${userId}::uuid)
		ORDER BY i.seq
		LIMIT 1
		FOR UPDATE OF i SKIP LOCKED`
	return rows[0] ?? null
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
	return code === 'P2002' || meta?.code === '23505' || /unique constraint|23505/i.test(message ?? '')
}

/**
 * Stores a judgment for a lease. Idempotent by the client's key: a replay returns the stored
 * judgment. A lease that expired is still honoured while the item needs judgments.
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

	try {
		return await prisma.$transaction(async (tx) => {
			const [lease] = await tx.$queryRaw<SubmissionLeaseRow[]>`
				SELECT l.id::text, l.item_id::text, l.user_id::text, l.state::text, l.expires_at, l.display_order, l.is_gold,
					p.id::text AS project_id, p.name, p.status::text, p.task_type::text, p.overlap, p.criteria, p.flags, p.use_strength,
					p.rationale::text, p.show_model_names, p.lease_seconds,
					COALESCE((SELECT max(g.version) FROM guideline_versions g WHERE g.project_id = p.id), 0) AS guideline_version
				FROM leases l JOIN projects p ON p.id = l.project_id
				WHERE l.id = ${leaseId}::uuid FOR UPDATE OF l`
			if (!lease || lease.user_id !== user.id) throw notFound('No such assignment')
			// Checked after the lease lock: a concurrent double submit waited for it and now finds the first one's result.
			const previous = await findJudgmentByKey(tx, user.id, data.idempotencyKey)
			if (previous) return { judgment: previous, replay: true }
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
			if (lease.state === 'submitted') throw conflict('This assignment was already submitted; edit the judgment instead', { reason: 'already_submitted' })
			if (lease.state !== 'active') throw conflict(`This assignment was ${lease.state} and takes no judgment`, { reason: `lease_${lease.state}` })

			const [item] = await tx.$queryRaw<{ is_open: boolean; capacity_left: number }[]>`
				SELECT i.is_open, (${lease.overlap} - i.judgment_count - (
					SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.id <> ${leaseId}::uuid
						AND busy.state = 'active' AND busy.expires_at > ${now}
				))::int AS capacity_left
				FROM items i WHERE i.id = ${lease.item_id}::uuid FOR UPDATE`
			if (!item) throw notFound('The item no longer exists')
			const expired = lease.expires_at.getTime() <= now.getTime()
			if (!lease.is_gold && (!item.is_open || (expired && item.capacity_left <= 0))) {
				throw conflict('Your lease expired and this item already has all the judgments it needs; nothing was saved', { reason: 'item_complete' })
			}

			const ranking = JSON.stringify(data.ranking)
			const criteria = data.criteria ? JSON.stringify(data.criteria) : null
			const flags = data.flags ? JSON.stringify(data.flags) : null
			const rationale = data.rationale?.trim() || null
			const strength = data.strength ?? null
			const activeMs = data.activeMs ?? null
			const countsTowardOverlap = !lease.is_gold
			// One statement stores the judgment, its first revision, closes the lease and counts it.
			const [stored] = await tx.$queryRaw<JudgmentRow[]>`
				WITH j AS (
					INSERT INTO judgments (project_id, item_id, user_id, lease_id, idempotency_key, display_order, ranking, both_bad, strength,
						criteria, flags, rationale, active_ms, guideline_version, is_gold, revision, created_at, updated_at)
					VALUES (${lease.project_id}::uuid, ${lease.item_id}::uuid, ${user.id}::uuid, ${leaseId}::uuid, ${data.idempotencyKey},
						${lease.display_order}::text[], ${ranking}::jsonb, ${data.bothBad}, ${strength}::int, ${criteria}::jsonb, ${flags}::jsonb,
						${rationale}, ${activeMs}::int, ${lease.guideline_version}::int, ${lease.is_gold}, 1, ${now}, ${now})
					RETURNING *
				), revision AS (
					INSERT INTO judgment_revisions (judgment_id, revision, user_id, ranking, both_bad, strength, criteria, flags, rationale,
						active_ms, guideline_version, idempotency_key, created_at)
					SELECT id, 1, user_id, ranking, both_bad, strength, criteria, flags, rationale, active_ms, guideline_version, idempotency_key, created_at FROM j
				), closed AS (
					UPDATE leases SET state = 'submitted', closed_at = ${now}, draft = NULL WHERE id = ${leaseId}::uuid
				), counted AS (
					UPDATE items SET judgment_count = judgment_count + 1,
						is_open = judgment_count + 1 < ${lease.overlap},
						completed_at = CASE WHEN judgment_count + 1 >= ${lease.overlap} THEN ${now} ELSE completed_at END
					WHERE id = ${lease.item_id}::uuid AND ${countsTowardOverlap}
				)
				SELECT id::text, item_id::text, lease_id::text, revision, ranking, both_bad, strength, created_at, updated_at FROM j`
			return { judgment: judgmentFromRow(stored!), replay: false }
		})
	} catch (error) {
		if (isUniqueViolation(error)) {
			const again = await findJudgmentByKey(prisma, user.id, data.idempotencyKey)
			if (again) return { judgment: again, replay: true }
			throw conflict('You already judged this item; edit that judgment instead', { reason: 'already_judged' })
		}
		throw error
	}
}

type SubmissionLeaseRow = {
	id: string
	item_id: string
	user_id: string
	state: string
	expires_at: Date
	display_order: string[]
	is_gold: boolean
	project_id: string
	name: string
	status: string
	task_type: 'pairwise' | 'ranking'
	overlap: number
	criteria: unknown
	flags: unknown
	use_strength: boolean
	rationale: 'off' | 'optional' | 'required'
	show_model_names: boolean
	lease_seconds: number
	guideline_version: number
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
