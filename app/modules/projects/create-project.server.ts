import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { conflict } from '#app/utils/errors.ts'
import { overlapColumns } from './overlap-policy.ts'
import { CreateProjectSchema, slugify, type CreateProjectInput } from './project.schema.ts'

export async function createProject({ input, actorId }: { input: CreateProjectInput; actorId: string | null }) {
	const { guidelines, slug: requestedSlug, overlap, ...data } = CreateProjectSchema.parse(input)
	let slug = requestedSlug ?? slugify(data.name)
	if (requestedSlug) {
		if (await prisma.project.findUnique({ where: { slug }, select: { id: true } }))
			throw conflict(`The slug "${slug}" is taken`)
	} else {
		const base = slug
		for (let n = 2; await prisma.project.findUnique({ where: { slug }, select: { id: true } }); n++)
			slug = `${base}-${n}`
	}
	const project = await prisma.project.create({
		data: {
			...data,
			...overlapColumns(overlap),
			slug,
			createdById: actorId,
			guidelines: { create: { version: 1, content: guidelines ?? '', createdById: actorId } },
		},
	})
	await recordAudit({
		actorId,
		action: 'project.created',
		targetType: 'project',
		targetId: project.id,
		projectId: project.id,
		data: { slug },
	})
	return project
}
