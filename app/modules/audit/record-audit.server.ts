import type { Prisma } from '#app/generated/prisma/client.ts'
import { prisma, type SqlTransaction } from '#app/utils/db.server.ts'

export type AuditAction =
	| 'auth.login'
	| 'auth.login_failed'
	| 'auth.logout'
	| 'auth.password_changed'
	| 'auth.password_change_failed'
	| 'auth.session_signed_out'
	| 'auth.sessions_signed_out'
	| 'user.created'
	| 'user.roles_changed'
	| 'user.disabled'
	| 'user.enabled'
	| 'invite.created'
	| 'invite.accepted'
	| 'invite.revoked'
	| 'token.created'
	| 'token.revoked'
	| 'project.created'
	| 'project.updated'
	| 'project.status_changed'
	| 'project.guidelines_updated'
	| 'project.member_added'
	| 'project.member_removed'
	| 'import.completed'
	| 'import.refused'
	| 'export.requested'
	| 'export.cancelled'
	| 'item.adjudicated'
	| 'model_endpoint.created'
	| 'model_endpoint.updated'
	| 'model_endpoint.deleted'
	| 'generation.requested'
	| 'generation.cancelled'
	| 'judge_run.requested'
	| 'judge_run.cancelled'
	| 'project.judge_template_updated'
	| 'item.reopened'

type Db = Pick<Prisma.TransactionClient, 'auditEvent'>

export async function recordAudit(
	{
		actorId,
		action,
		targetType,
		targetId,
		projectId,
		data,
		ip,
	}: {
		actorId?: string | null
		action: AuditAction
		targetType?: string
		targetId?: string
		projectId?: string | null
		data?: Prisma.InputJsonValue
		ip?: string | null
	},
	db: Db | SqlTransaction = prisma,
) {
	if ('query' in db) {
		await db.query({
			text: `INSERT INTO audit_events (actor_id, action, target_type, target_id, project_id, data, ip) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
			values: [
				actorId ?? null,
				action,
				targetType ?? null,
				targetId ?? null,
				projectId ?? null,
				data === undefined ? null : JSON.stringify(data),
				ip ?? null,
			],
		})
		return
	}
	await db.auditEvent.create({
		data: {
			actorId: actorId ?? null,
			action,
			targetType,
			targetId,
			projectId: projectId ?? null,
			data,
			ip: ip ?? null,
		},
	})
}
