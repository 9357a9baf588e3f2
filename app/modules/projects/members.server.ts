import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { fieldErrorsFromZod, invalid, notFound } from '#app/utils/errors.ts'
import { getProjectForUser } from './get-project.server.ts'
import { MemberInputSchema } from './project.schema.ts'

function parseMember(input: unknown) {
	const parsed = MemberInputSchema.safeParse(input)
	if (!parsed.success) throw invalid('The member is invalid', fieldErrorsFromZod(parsed.error.issues))
	return parsed.data
}

export async function listMembers({ projectId }: { projectId: string }) {
	const rows = await prisma.projectMember.findMany({
		where: { projectId },
		select: {
			role: true,
			createdAt: true,
			user: { select: { id: true, email: true, displayName: true, disabledAt: true } },
		},
		orderBy: [{ role: 'asc' }, { createdAt: 'asc' }],
	})
	return rows.map((row) => ({
		userId: row.user.id,
		email: row.user.email,
		displayName: row.user.displayName,
		disabled: row.user.disabledAt !== null,
		role: row.role,
		addedAt: row.createdAt.toISOString(),
	}))
}

/**
 * Adds a person to a project as annotator or reviewer (admins only). They must already have that
 * role, since membership alone grants nothing. Adding someone twice changes nothing.
 */
export async function addMember({ slug, user, input }: { slug: string; user: SessionUser; input: unknown }) {
	const project = await getProjectForUser({ slug, user, access: 'manage' })
	const { email, role } = parseMember(input)
	const member = await prisma.user.findUnique({
		where: { email },
		select: { id: true, email: true, roles: true, disabledAt: true },
	})
	if (!member)
		throw invalid('No such user', [
			{ path: 'email', message: `No user with email ${email}; invite them on the Users page first` },
		])
	if (member.disabledAt)
		throw invalid('The user is disabled', [
			{ path: 'email', message: `${email} is disabled; enable the account first` },
		])
	if (!member.roles.includes(role) && !member.roles.includes('admin')) {
		throw invalid('The user lacks the role', [
			{
				path: 'role',
				message: `${email} does not have the ${role} role (they have: ${member.roles.join(', ') || 'none'}); give it on the Users page first`,
			},
		])
	}
	const existing = await prisma.projectMember.findUnique({
		where: { projectId_userId_role: { projectId: project.id, userId: member.id, role } },
	})
	if (existing) return { added: false, member: { userId: member.id, email, role } }
	await prisma.projectMember.create({ data: { projectId: project.id, userId: member.id, role } })
	await recordAudit({
		actorId: user.id,
		action: 'project.member_added',
		targetType: 'user',
		targetId: member.id,
		projectId: project.id,
		data: { email, role },
	})
	return { added: true, member: { userId: member.id, email, role } }
}

/** Removes a membership (admins only). A removed annotator's open leases return to the queue at once. */
export async function removeMember({ slug, user, input }: { slug: string; user: SessionUser; input: unknown }) {
	const project = await getProjectForUser({ slug, user, access: 'manage' })
	const { email, role } = parseMember(input)
	const member = await prisma.user.findUnique({ where: { email }, select: { id: true } })
	if (!member) throw notFound(`No user with email ${email}`)
	const released = await prisma.$transaction(async (tx) => {
		const { count } = await tx.projectMember.deleteMany({ where: { projectId: project.id, userId: member.id, role } })
		if (count === 0) throw notFound(`${email} is not a ${role} of this project`)
		if (role !== 'annotator') return 0
		const leases = await tx.lease.updateMany({
			where: { projectId: project.id, userId: member.id, state: 'active' },
			data: { state: 'released', closedAt: new Date() },
		})
		return leases.count
	})
	await recordAudit({
		actorId: user.id,
		action: 'project.member_removed',
		targetType: 'user',
		targetId: member.id,
		projectId: project.id,
		data: { email, role, releasedLeases: released },
	})
	return { removed: true, releasedLeases: released }
}
