import type { MemberRole } from '#app/generated/prisma/enums.ts'
import type { CanonicalItem } from '#app/modules/imports/parse/types.ts'
import { upsertItemBatch } from '#app/modules/items/upsert-items.server.ts'
import { createProject } from '#app/modules/projects/create-project.server.ts'
import type { CreateProjectInput } from '#app/modules/projects/project.schema.ts'
import { pgTransaction, prisma } from '#app/utils/db.server.ts'

let counter = 0

export function makeItems({
	count,
	responses = 2,
	prefix = 'item',
	gold = false,
}: {
	count: number
	responses?: number
	prefix?: string
	gold?: boolean
}): CanonicalItem[] {
	return Array.from({ length: count }, (_, i) => ({
		externalId: `${prefix}-${i + 1}`,
		context: { prompt: `Prompt ${prefix} ${i + 1}` },
		responses: Array.from({ length: responses }, (_, r) => ({
			id: `r${r + 1}`,
			model: `model-${String.fromCharCode(97 + r)}`,
			content: `Answer ${r + 1} to ${prefix} ${i + 1}${'!'.repeat(r)}`,
			metadata: null,
		})),
		metadata: null,
		gold: gold ? { ranking: Array.from({ length: responses }, (_, r) => [`r${r + 1}`]) } : null,
		contentHash: `hash-${prefix}-${i + 1}`,
	}))
}

export async function makeProject({
	members = [],
	items = 0,
	responses,
	input = {},
}: {
	members?: { id: string; role?: MemberRole }[]
	items?: number
	responses?: number
	input?: Partial<CreateProjectInput>
} = {}) {
	counter++
	const taskType = input.taskType ?? 'pairwise'
	const project = await createProject({
		actorId: null,
		input: {
			name: `Project ${counter}`,
			slug: `project-${counter}-${Math.random().toString(36).slice(2, 7)}`,
			taskType,
			status: 'active',
			...input,
		},
	})
	if (members.length) {
		await prisma.projectMember.createMany({
			data: members.map((m) => ({ projectId: project.id, userId: m.id, role: m.role ?? 'annotator' })),
		})
	}
	if (items > 0)
		await addItems({
			projectId: project.id,
			items: makeItems({ count: items, responses: responses ?? (taskType === 'pairwise' ? 2 : 4) }),
		})
	return project
}

export async function addItems({ projectId, items }: { projectId: string; items: CanonicalItem[] }) {
	await pgTransaction(async (tx) => {
		const result = await upsertItemBatch({ tx, projectId, items: items.map((item, i) => ({ line: i + 1, item })) })
		if (result.errors.length) throw new Error(JSON.stringify(result.errors))
	})
}
