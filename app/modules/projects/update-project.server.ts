import type { Prisma } from '#app/generated/prisma/client.ts'
import type { TaskType } from '#app/generated/prisma/enums.ts'
import { MAX_RANKED_RESPONSES, MAX_RESPONSES } from '#app/modules/imports/parse/limits.ts'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { fieldErrorsFromZod, invalid } from '#app/utils/errors.ts'
import { judgingSettings } from '#app/modules/judging/judging.schema.ts'
import { lockRoutedItemsQuery, routeItemsQuery } from '#app/modules/judging/route-items.ts'
import { reevaluateItemsForOverlap } from './reevaluate-items-for-overlap.server.ts'
import { arenaSettingsInput, projectSelfIdPattern } from './arena-settings.ts'
import { flagSelfIdentifyingResponses } from './flag-self-identifying-responses.server.ts'
import { getProjectForUser } from './get-project.server.ts'
import { adaptiveAllowed, adaptiveRefusal, overlapColumns, overlapPolicy } from './overlap-policy.ts'
import { UpdateProjectSchema } from './project.schema.ts'
import { parseCriteria, parseFlags } from './json-columns.ts'
import { lockedChanges } from './project-settings.ts'
import { assertStatusTransition } from './set-project-status.server.ts'

const AUDITED_FIELDS = [
	'name',
	'taskType',
	'overlap',
	'overlapMode',
	'overlapMax',
	'overlapConfidence',
	'criteria',
	'flags',
	'useStrength',
	'rationale',
	'randomizeOrder',
	'showModelNames',
	'goldRate',
	'generation',
	'pairPolicy',
	'arena',
	'judging',
	'leaseSeconds',
	'status',
] as const

/**
 * Changes a project's settings (admins only). Settings that judgments depend on are refused once
 * judgments exist; a new overlap policy re-evaluates which items are complete.
 */
export async function updateProject({ slug, user, input }: { slug: string; user: SessionUser; input: unknown }) {
	const project = await getProjectForUser({ slug, user, access: 'manage' })
	const parsed = UpdateProjectSchema.safeParse(input)
	if (!parsed.success) throw invalid('The project settings are invalid', fieldErrorsFromZod(parsed.error.issues))
	const { overlap, ...changes } = parsed.data
	// The arena and AI-judge settings are merged, so that changing one of them keeps the others
	// (`judging.routing: null` turns routing off).
	if (changes.arena) changes.arena = { ...arenaSettingsInput(project.arena), ...changes.arena }
	if (changes.judging) changes.judging = { ...judgingSettings(project.judging), ...changes.judging }
	const policy = overlap ?? overlapPolicy(project)
	const taskType = changes.taskType ?? project.taskType
	if (!adaptiveAllowed({ policy, taskType }))
		throw invalid('The project settings are invalid', [{ path: 'overlap', message: adaptiveRefusal(taskType) }])
	if (changes.status !== undefined && changes.status !== project.status)
		assertStatusTransition({ from: project.status, to: changes.status })
	// Only a routing sent now is checked: a merged, stored one may name an endpoint deleted since.
	const routing = parsed.data.judging?.routing
	if (routing && !(await prisma.modelEndpoint.findUnique({ where: { id: routing.endpointId }, select: { id: true } })))
		throw invalid('The project settings are invalid', [
			{ path: 'judging.routing.endpointId', message: 'no model endpoint with this id' },
		])

	const before = {
		taskType: project.taskType,
		criteria: parseCriteria(project.criteria),
		flags: parseFlags(project.flags),
	}
	// A change to a setting that judgments depend on locks the project against new judgments (FOR
	// UPDATE blocks their foreign-key check) so that the count below stays true. Any other change
	// must not: claims and submits lock an item before that check, and this transaction may update
	// every item, so the two would deadlock.
	const locksJudgments = lockedChanges({ before, after: changes, judgmentCount: 1 }).length > 0
	const updated = await prisma.$transaction(async (tx) => {
		if (locksJudgments) await tx.$queryRaw`SELECT 1 FROM projects WHERE id = ${project.id}::uuid FOR UPDATE`
		else await tx.$queryRaw`SELECT 1 FROM projects WHERE id = ${project.id}::uuid FOR NO KEY UPDATE`
		const judgmentCount = await tx.judgment.count({ where: { projectId: project.id } })
		const locked = lockedChanges({ before, after: changes, judgmentCount })
		if (locked.length > 0) throw invalid('These settings are locked because the project has judgments', locked)
		if (changes.taskType !== undefined && changes.taskType !== project.taskType) {
			const refusal = await taskTypeChangeRefusal({ tx, projectId: project.id, taskType: changes.taskType })
			if (refusal) throw invalid('The project settings are invalid', [{ path: 'taskType', message: refusal }])
		}

		const row = await tx.project.update({
			where: { id: project.id },
			data: { ...(changes as Prisma.ProjectUpdateInput), ...(overlap ? overlapColumns(overlap) : {}) },
		})
		const overlapChanged = !!overlap && JSON.stringify(overlap) !== JSON.stringify(overlapPolicy(project))
		const routingAfter = judgingSettings(row.judging).routing ?? null
		const routingChanged =
			JSON.stringify(routingAfter) !== JSON.stringify(judgingSettings(project.judging).routing ?? null)
		if (policy.mode === 'adaptive') {
			if (overlapChanged) await reevaluateItemsForOverlap({ tx, projectId: project.id, policy })
		} else if (overlapChanged || routingChanged) {
			// A fixed overlap's targets are hybrid routing's (none when it is off): the judge's stored
			// verdicts are read again under the new settings.
			if (routingAfter) {
				const lock = lockRoutedItemsQuery({ projectId: project.id, routing: routingAfter })
				await tx.$queryRawUnsafe(lock.text, ...lock.values)
			}
			const { text, values } = routeItemsQuery({ projectId: project.id, overlap: policy.n, routing: routingAfter })
			await tx.$executeRawUnsafe(text, ...values)
		}
		const pattern = projectSelfIdPattern(row)
		if (pattern !== projectSelfIdPattern(project))
			await flagSelfIdentifyingResponses({ tx, projectId: project.id, pattern })
		return row
	})

	const diff: Record<string, { from: unknown; to: unknown }> = {}
	for (const field of AUDITED_FIELDS) {
		const before = project[field] as unknown
		const after = updated[field] as unknown
		if (JSON.stringify(before) !== JSON.stringify(after)) diff[field] = { from: before, to: after }
	}
	if (updated.description !== project.description) diff.description = { from: '(previous)', to: '(changed)' }
	if (Object.keys(diff).length > 0) {
		await recordAudit({
			actorId: user.id,
			action: 'project.updated',
			targetType: 'project',
			targetId: project.id,
			projectId: project.id,
			data: diff as Prisma.InputJsonValue,
		})
	}
	if (diff.status) {
		await recordAudit({
			actorId: user.id,
			action: 'project.status_changed',
			targetType: 'project',
			targetId: project.id,
			projectId: project.id,
			data: diff.status as Prisma.InputJsonValue,
		})
	}
	return updated
}

/**
 * Why the items cannot take the new task type, if they cannot: open leases were made for the old
 * one (their display orders would not fit), or an item has more responses than the new type shows,
 * or, for a comparison project, two responses of one model.
 */
async function taskTypeChangeRefusal({
	tx,
	projectId,
	taskType,
}: {
	tx: Prisma.TransactionClient
	projectId: string
	taskType: TaskType
}): Promise<string | null> {
	const [row] = await tx.$queryRaw<{ leases: number; most: number; repeated: boolean }[]>`
		SELECT
			(SELECT count(*)::int FROM leases l WHERE l.project_id = ${projectId}::uuid AND l.state = 'active' AND l.expires_at > now()) AS leases,
			(SELECT coalesce(max(c.n), 0)::int FROM (
				SELECT count(*) AS n FROM responses r JOIN items i ON i.id = r.item_id WHERE i.project_id = ${projectId}::uuid GROUP BY r.item_id
			) c) AS most,
			EXISTS (
				SELECT 1 FROM responses r JOIN items i ON i.id = r.item_id WHERE i.project_id = ${projectId}::uuid
				GROUP BY r.item_id HAVING count(*) <> count(DISTINCT coalesce(r.model, r.key))
			) AS repeated`
	if (!row) return null
	if (row.leases > 0)
		return `${row.leases} item(s) are leased to annotators under the current task type; change it when no lease is open`
	const limit = taskType === 'pairwise' ? 2 : taskType === 'ranking' ? MAX_RANKED_RESPONSES : MAX_RESPONSES
	if (row.most > limit) return `an item has ${row.most} responses; a ${taskType} project takes at most ${limit}`
	if (taskType === 'comparison' && row.repeated)
		return 'an item has two responses from the same model; a comparison project needs different models'
	return null
}
