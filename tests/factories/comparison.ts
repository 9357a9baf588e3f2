import { randomUUID } from 'node:crypto'
import type { MemberRole } from '#app/generated/prisma/enums.ts'
import type { CanonicalItem } from '#app/modules/imports/parse/types.ts'
import type { CreateProjectInput } from '#app/modules/projects/project.schema.ts'
import { prisma } from '#app/utils/db.server.ts'
import { addItems, makeProject } from './projects.ts'

export type ComparisonResponse = { key: string; model?: string | null; content?: string; selfIdentifies?: boolean }
export type ComparisonItemSpec = {
	externalId: string
	prompt?: string
	responses: ComparisonResponse[]
	metadata?: Record<string, unknown> | null
}

/** N responses per item, keys r1..rN from models model-a, model-b, ... */
export function comparisonItems({
	count,
	responses = 4,
	prefix = 'arena',
}: {
	count: number
	responses?: number
	prefix?: string
}): ComparisonItemSpec[] {
	return Array.from({ length: count }, (_, i) => ({
		externalId: `${prefix}-${i + 1}`,
		prompt: `Prompt ${prefix} ${i + 1}`,
		responses: Array.from({ length: responses }, (_, r) => ({
			key: `r${r + 1}`,
			model: `model-${String.fromCharCode(97 + r)}`,
			content: `Answer ${r + 1} to ${prefix} ${i + 1}`,
		})),
	}))
}

/**
 * A comparison (arena) project with its items, written directly: the project is created as any
 * project and switched to `comparison`, items of N responses are upserted as an import does, and
 * responses marked `selfIdentifies` are flagged as the import's word list would flag them.
 */
export async function makeComparisonProject({
	members = [],
	items = [],
	input = {},
	arena = {},
}: {
	members?: { id: string; role?: MemberRole }[]
	items?: ComparisonItemSpec[]
	input?: Partial<CreateProjectInput>
	arena?: { selfIdWords?: string[]; includeSelfIdentified?: boolean }
} = {}) {
	const project = await makeProject({ members, input: { taskType: 'ranking', ...input } })
	await prisma.project.update({ where: { id: project.id }, data: { taskType: 'comparison', arena } })
	if (items.length > 0) {
		const canonical: CanonicalItem[] = items.map((item) => ({
			externalId: item.externalId,
			context: { prompt: item.prompt ?? `Prompt ${item.externalId}` },
			responses: item.responses.map((response) => ({
				id: response.key,
				model: response.model === undefined ? `model-${response.key}` : response.model,
				content: response.content ?? `Answer ${response.key} to ${item.externalId}`,
				metadata: null,
			})),
			metadata: item.metadata ?? null,
			gold: null,
			contentHash: `hash-${item.externalId}-${randomUUID()}`,
		}))
		await addItems({ projectId: project.id, items: canonical })
		for (const item of items) {
			const flagged = item.responses.filter((response) => response.selfIdentifies).map((response) => response.key)
			if (flagged.length === 0) continue
			await prisma.$executeRaw`
				UPDATE responses r SET self_identifies = true FROM items i
				WHERE r.item_id = i.id AND i.project_id = ${project.id}::uuid AND i.external_id = ${item.externalId}
					AND r.key = ANY(${flagged}::text[])`
		}
	}
	return { ...project, taskType: 'comparison' as const }
}

export type ComparisonOutcome = { winner: string } | { tie: true } | { bothBad: true }

/**
 * A judgment of a comparison item, written directly as the submit would store it: `shown` is the
 * two response keys in the order shown (display_order), and the ranking ranks those two only.
 */
export async function createComparisonJudgment({
	projectId,
	externalId,
	userId,
	shown,
	outcome,
	strength = null,
	activeMs = 8_000,
	rationale = null,
	createdAt,
}: {
	projectId: string
	externalId: string
	userId: string
	shown: [string, string]
	outcome: ComparisonOutcome
	strength?: number | null
	activeMs?: number
	rationale?: string | null
	createdAt?: Date
}) {
	const item = await prisma.item.findUniqueOrThrow({
		where: { projectId_externalId: { projectId, externalId } },
		select: { id: true },
	})
	const [x, y] = shown
	const ranking = 'winner' in outcome ? [[outcome.winner], [outcome.winner === x ? y : x]] : [[x, y]]
	const bothBad = 'bothBad' in outcome
	const judgment = await prisma.judgment.create({
		data: {
			projectId,
			itemId: item.id,
			userId,
			idempotencyKey: `comparison-${randomUUID()}`,
			displayOrder: shown,
			ranking,
			bothBad,
			strength: 'winner' in outcome ? strength : null,
			activeMs,
			rationale,
			...(createdAt ? { createdAt, updatedAt: createdAt } : {}),
		},
	})
	await prisma.$executeRaw`
		INSERT INTO judgment_revisions (judgment_id, revision, user_id, ranking, both_bad, strength, rationale, active_ms, idempotency_key, created_at)
		SELECT id, 1, user_id, ranking, both_bad, strength, rationale, active_ms, idempotency_key, created_at FROM judgments WHERE id = ${judgment.id}::uuid`
	await prisma.$executeRaw`UPDATE items SET judgment_count = judgment_count + 1 WHERE id = ${item.id}::uuid`
	return judgment
}
