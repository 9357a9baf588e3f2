import { randomUUID } from 'node:crypto'
import { claimNext } from '#app/modules/assignments/claim-next.server.ts'
import type { Assignment } from '#app/modules/assignments/serialize-assignment.ts'
import { submitJudgment } from '#app/modules/assignments/submit-judgment.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import type { CanonicalItem } from '#app/modules/imports/parse/types.ts'
import type { CreateProjectInput } from '#app/modules/projects/project.schema.ts'
import { prisma } from '#app/utils/db.server.ts'
import { asSessionUser } from './judgments.ts'
import { addItems, makeItems, makeProject } from './projects.ts'
import { makeUser } from './users.ts'

export type Choice = { ranking: string[][]; strength?: number | null; bothBad?: boolean }

/** The response an item's known preference favours: r1 on even items, r2 on odd ones. */
export function goodResponseId(externalId: string) {
	const index = Number(/-(\d+)$/.exec(externalId)?.[1] ?? 0)
	return index % 2 === 0 ? 'r1' : 'r2'
}

/** A pairwise judgment for the known preference, whatever order the annotator was shown. */
export function preferGood(assignment: Assignment): Choice {
	const good = goodResponseId(assignment.item.externalId)
	const other = assignment.item.responses.map((response) => response.id).find((id) => id !== good)!
	return { ranking: [[good], [other]], strength: 2 }
}

/** A project with annotators as members and `items` pairwise (or K-way) items. */
export async function makeExportProject({
	annotators = 3,
	items = 6,
	responses,
	input = {},
	gold = 0,
}: {
	annotators?: number
	items?: number
	responses?: number
	input?: Partial<CreateProjectInput>
	gold?: number
} = {}) {
	const users = await Promise.all(Array.from({ length: annotators }, () => makeUser({ roles: ['annotator'] })))
	const project = await makeProject({
		members: users.map((user) => ({ id: user.id })),
		items,
		responses,
		input: { overlap: annotators, ...input },
	})
	if (gold > 0) {
		const goldItems: CanonicalItem[] = makeItems({ count: gold, prefix: 'gold', responses: responses ?? 2, gold: true })
		await addItems({ projectId: project.id, items: goldItems })
	}
	return { project, annotators: users.map(asSessionUser) }
}

/** Each annotator in turn judges everything they are served, through the assignment engine. */
export async function judgeAll({
	slug,
	annotators,
	choose = preferGood,
}: {
	slug: string
	annotators: SessionUser[]
	choose?: (assignment: Assignment, annotator: SessionUser) => Choice
}) {
	let judged = 0
	for (const annotator of annotators) {
		for (;;) {
			const assignment = await claimNext({ slug, user: annotator })
			if (!assignment) break
			const choice = choose(assignment, annotator)
			await submitJudgment({
				leaseId: assignment.lease.id,
				user: annotator,
				input: { ...choice, activeMs: 5_000, idempotencyKey: `${assignment.lease.id}-export-test` },
			})
			judged++
		}
	}
	return judged
}

/**
 * Many judgments at once, straight in SQL, for tests that need volume rather than the engine's
 * rules (the worker crash test): every annotator judges every item, preferring r1 with strength 1.
 */
export async function bulkJudgments({ projectId, annotators }: { projectId: string; annotators: { id: string }[] }) {
	for (const annotator of annotators) {
		await prisma.$executeRaw`
			INSERT INTO judgments (project_id, item_id, user_id, idempotency_key, display_order, ranking, strength, active_ms, created_at, updated_at)
			SELECT i.project_id, i.id, ${annotator.id}::uuid, ${randomUUID()} || '-' || i.seq, ARRAY['r1', 'r2'], '[["r1"], ["r2"]]'::jsonb, 1, 1000, now(), now()
			FROM items i WHERE i.project_id = ${projectId}::uuid AND NOT i.is_gold`
	}
	await prisma.$executeRaw`UPDATE items SET judgment_count = ${annotators.length}, is_open = false WHERE project_id = ${projectId}::uuid AND NOT is_gold`
}
