import { z } from 'zod'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { assertHumanUser } from './api-token.server.ts'
import { hashPassword, PasswordSchema, verifyPassword } from './password.server.ts'
import type { SessionUser } from './session.server.ts'

export const ChangePasswordSchema = z
	.object({
		currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password').max(256),
		newPassword: PasswordSchema,
		confirmPassword: z.string(),
	})
	.refine((value) => value.newPassword === value.confirmPassword, {
		path: ['confirmPassword'],
		message: 'Passwords do not match',
	})

/**
 * A user changes their own password, proving they know the current one. Every other session of
 * theirs ends: whoever may have learned the old password is signed out.
 */
export async function changePassword({
	user,
	currentSessionId,
	currentPassword,
	newPassword,
	ip,
}: {
	user: SessionUser
	/** The session making the change; it stays signed in. */
	currentSessionId: string | null
	currentPassword: string
	newPassword: string
	ip?: string
}) {
	await assertHumanUser({ userId: user.id, what: 'password' })
	const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } })
	if (!row.passwordHash || !(await verifyPassword(row.passwordHash, currentPassword))) {
		await recordAudit({
			actorId: user.id,
			action: 'auth.password_change_failed',
			targetType: 'user',
			targetId: user.id,
			ip,
		})
		throw new AppError('INVALID', 'The current password is not right', {
			fieldErrors: [{ path: 'currentPassword', message: 'The current password is not right' }],
		})
	}
	const passwordHash = await hashPassword(newPassword)
	const signedOut = await prisma.$transaction(async (tx) => {
		await tx.user.update({ where: { id: user.id }, data: { passwordHash } })
		const { count } = await tx.session.deleteMany({
			where: { userId: user.id, ...(currentSessionId ? { id: { not: currentSessionId } } : {}) },
		})
		return count
	})
	await recordAudit({
		actorId: user.id,
		action: 'auth.password_changed',
		targetType: 'user',
		targetId: user.id,
		ip,
		data: { signedOutSessions: signedOut },
	})
	return { signedOutSessions: signedOut }
}
