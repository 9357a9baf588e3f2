import type { ProjectStatus } from '#app/generated/prisma/enums.ts'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError, ErrorCode } from '#app/utils/errors.ts'
import { getProjectForUser } from './get-project.server.ts'
import { ProjectStatusSchema } from './project.schema.ts'
import { STATUS_TRANSITIONS } from './project-settings.ts'

export function assertStatusTransition({ from, to }: { from: ProjectStatus; to: ProjectStatus }) {
	if (STATUS_TRANSITIONS[from].includes(to)) return
	const allowed = STATUS_TRANSITIONS[from]
	throw new AppError(
		ErrorCode.Conflict,
		from === 'archived'
			? 'The project is archived; an archived project cannot change status'
			: `A ${from} project cannot become ${to}; it can become ${allowed.join(' or ')}`,
		{ extra: { reason: 'status_transition', from, to } },
	)
}

/**
 * Moves a project along draft → active ⇄ paused → archived (admins only). Pausing keeps every
 * lease and draft; annotators simply get no new work until it resumes.
 */
export async function setProjectStatus({ slug, user, status }: { slug: string; user: SessionUser; status: unknown }) {
	const to = ProjectStatusSchema.parse(status)
	const project = await getProjectForUser({ slug, user, access: 'manage' })
	if (project.status === to) return project
	assertStatusTransition({ from: project.status, to })
	const { count } = await prisma.project.updateMany({
		where: { id: project.id, status: project.status },
		data: { status: to },
	})
	if (count === 0) throw new AppError(ErrorCode.Conflict, 'The project status changed meanwhile; reload and try again')
	await recordAudit({
		actorId: user.id,
		action: 'project.status_changed',
		targetType: 'project',
		targetId: project.id,
		projectId: project.id,
		data: { from: project.status, to },
	})
	return { ...project, status: to }
}
