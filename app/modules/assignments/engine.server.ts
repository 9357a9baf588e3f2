import { randomInt } from 'node:crypto'
import { Prisma as PrismaNamespace, type Prisma } from '#app/generated/prisma/client.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError, assertUuid, conflict, invalid, notFound } from '#app/utils/errors.ts'
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

const CLAIM_ATTEMPTS = 8

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
	const lease = await tx.lease.findUniqueOrThrow({
		where: { id: leaseId },
		select: {
			id: true,
			expiresAt: true,
			displayOrder: true,
			draft: true,
			item: { select: { id: true, externalId: true, context: true, responses: { select: { key: true, content: true, model: true } } } },
		},
	})
	const byKey = new Map(lease.item.responses.map((response) => [response.key, response]))
	return {
		lease: { id: lease.id, expiresAt: lease.expiresAt.toISOString() },
		item: {
			id: lease.item.id,
			externalId: lease.item.externalId,
			context: lease.item.context as Assignment['item']['context'],
			responses: lease.displayOrder.map((key) => {
				const response = byKey.get(key)!
				return project.showModelNames ? { id: key, content: response.content, model: response.model } : { id: key, content: response.content }
			}),
		},
		project,
		draft: lease.draft ?? null,
	}
}

/**
 * Leases the next unit of work for an annotator, or returns null when there is none for them now.
 * Candidates are locked with SKIP LOCKED so concurrent claimers spread over different items; the
 * capacity check is repeated after the lock, where it cannot race, because every claim and every
 * submission takes the item's row lock first.
 */
export async function claimNext({ slug, user, now = new Date(), random = Math.random }: { slug: string; user: SessionUser; random?: () => number } & Clock) {
	const project = await getProjectForUser({ slug, user, access: 'annotate' })
	assertProjectOpenForWork(project)
	const guidelineVersion = await currentGuidelineVersion(prisma, project.id)
	const assignmentProject = toAssignmentProject(project, guidelineVersion)

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
		let itemId = wantGold ? await claimGold(tx, project.id, user.id) : null
		let isGold = itemId !== null
		if (!itemId) {
			itemId = await claimRegular(tx, { projectId: project.id, userId: user.id, overlap: project.overlap, now })
			isGold = false
		}
		if (!itemId) return null

		const keys = await tx.$queryRaw<{ key: string }[]>`SELECT key FROM responses WHERE item_id = ${itemId}::uuid ORDER BY position`
		const order = project.randomizeOrder ? shuffled(keys.map((row) => row.key)) : keys.map((row) => row.key)
		const expiresAt = new Date(now.getTime() + project.leaseSeconds * 1000)
		const lease = await tx.$queryRaw<{ id: string }[]>`
			INSERT INTO leases (project_id, item_id, user_id, display_order, is_gold, created_at, expires_at)
			VALUES (${project.id}::uuid, ${itemId}::uuid, ${user.id}::uuid, ${order}::text[], ${isGold}, ${now}, ${expiresAt})
			RETURNING id::text`
		return loadAssignment(tx, lease[0]!.id, assignmentProject)
	})
}

async function claimRegular(tx: Tx, { projectId, userId, overlap, now }: { projectId: string; userId: string; overlap: number; now: Date }) {
	for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
		const candidates = await tx.$queryRaw<{ id: string }[]>`
			SELECT i.id::text FROM items i
			WHERE i.project_id = ${projectId}::uuid AND i.is_open AND NOT i.is_gold
				AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = ${userId}::uuid)
				AND i.judgment_count + (
					SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.state = 'active' AND busy.expires_at > ${now}
				) < ${overlap}
			ORDER BY i.priority DESC, i.seq
			LIMIT 1
			FOR UPDATE OF i SKIP LOCKED`
		const candidate = candidates[0]
		if (!candidate) return null
		const [fresh] = await tx.$queryRaw<{ capacity_left: number }[]>`
			SELECT (${overlap} - i.judgment_count - (
				SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.state = 'active' AND busy.expires_at > ${now}
			))::int AS capacity_left
			FROM items i WHERE i.id = ${candidate.id}::uuid AND i.is_open`
		if (fresh && fresh.capacity_left > 0) return candidate.id
	}
	return null
}

async function claimGold(tx: Tx, projectId: string, userId: string) {
	const rows = await tx.$queryRaw<{ id: string }[]>`
		SELECT i.id::text FROM items i
		WHERE i.project_id = ${projectId}::uuid AND i.is_gold
			AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = ${userId}::uuid)
		ORDER BY i.seq
		LIMIT 1
		FOR UPDATE OF i SKIP LOCKED`
	return rows[0]?.id ?? null
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

async function findReplay(userId: string, idempotencyKey: string) {
	const judgment = await prisma.judgment.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey } } })
	return judgment ? serializeJudgment(judgment) : null
}

function isUniqueViolation(error: unknown) {
	return typeof error === 'object' && error !== null && 'code' in error && (error as { code: string }).code === 'P2002'
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
	const replay = await findReplay(user.id, data.idempotencyKey)
	if (replay) return { judgment: replay, replay: true }

	try {
		return await prisma.$transaction(async (tx) => {
			const lease = await lockLeaseForUser(tx, leaseId, user.id)
			// A concurrent double submit waited for the lease lock above; it now finds the first one's result.
			const concurrent = await tx.judgment.findUnique({ where: { userId_idempotencyKey: { userId: user.id, idempotencyKey: data.idempotencyKey } } })
			if (concurrent) return { judgment: serializeJudgment(concurrent), replay: true }
			const project = await tx.project.findUniqueOrThrow({ where: { id: lease.project_id } })
			if (project.status !== 'active' && project.status !== 'paused') assertProjectOpenForWork(project)
			const rules = rulesOf(toAssignmentProject(project, 0))
			const errors = validateJudgmentForProject({ input: data, rules, responseIds: lease.display_order })
			if (errors.length > 0) throw invalid('The judgment does not fit this project', errors)
			if (lease.state === 'submitted') throw conflict('This assignment was already submitted; edit the judgment instead', { reason: 'already_submitted' })
			if (lease.state !== 'active') throw conflict(`This assignment was ${lease.state} and takes no judgment`, { reason: `lease_${lease.state}` })

			const [item] = await tx.$queryRaw<{ judgment_count: number; is_open: boolean; capacity_left: number }[]>`
				SELECT i.judgment_count, i.is_open, (${project.overlap} - i.judgment_count - (
					SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.id <> ${leaseId}::uuid
						AND busy.state = 'active' AND busy.expires_at > ${now}
				))::int AS capacity_left
				FROM items i WHERE i.id = ${lease.item_id}::uuid FOR UPDATE`
			if (!item) throw notFound('The item no longer exists')
			const expired = lease.expires_at.getTime() <= now.getTime()
			if (!lease.is_gold && (!item.is_open || (expired && item.capacity_left <= 0))) {
				throw conflict('Your lease expired and this item already has all the judgments it needs; nothing was saved', { reason: 'item_complete' })
			}

			const guidelineVersion = await currentGuidelineVersion(tx, project.id)
			const values = {
				ranking: data.ranking,
				bothBad: data.bothBad,
				strength: data.strength ?? null,
				criteria: data.criteria ?? undefined,
				flags: data.flags ?? undefined,
				rationale: data.rationale?.trim() || null,
				activeMs: data.activeMs ?? null,
				guidelineVersion,
			}
			const judgment = await tx.judgment.create({
				data: {
					projectId: project.id,
					itemId: lease.item_id,
					userId: user.id,
					leaseId,
					idempotencyKey: data.idempotencyKey,
					displayOrder: lease.display_order,
					isGold: lease.is_gold,
					createdAt: now,
					updatedAt: now,
					...values,
					revisions: { create: { revision: 1, userId: user.id, idempotencyKey: data.idempotencyKey, createdAt: now, ...values } },
				},
			})
			await tx.$executeRaw`UPDATE leases SET state = 'submitted', closed_at = ${now}, draft = NULL WHERE id = ${leaseId}::uuid`
			if (!lease.is_gold) {
				await tx.$executeRaw`
					UPDATE items SET judgment_count = judgment_count + 1,
						is_open = judgment_count + 1 < ${project.overlap},
						completed_at = CASE WHEN judgment_count + 1 >= ${project.overlap} THEN ${now} ELSE completed_at END
					WHERE id = ${lease.item_id}::uuid`
			}
			return { judgment: serializeJudgment(judgment), replay: false }
		})
	} catch (error) {
		if (isUniqueViolation(error)) {
			const again = await findReplay(user.id, data.idempotencyKey)
			if (again) return { judgment: again, replay: true }
			throw conflict('You already judged this item; edit that judgment instead', { reason: 'already_judged' })
		}
		throw error
	}
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
