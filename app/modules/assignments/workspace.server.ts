import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { renderMarkdown, renderModelContent, type RenderedContent } from '#app/modules/content/render-markdown.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { prisma, sql } from '#app/utils/db.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { claimNext, workAvailability, type Assignment, type AssignmentProject } from './engine.server.ts'

export type ContextView = { kind: 'prompt'; html: string } | { kind: 'messages'; messages: { role: string; html: string }[] }

export type ResponseView = RenderedContent & { id: string; label: string; model: string | null; text: string }

export type AssignmentView = {
	leaseId: string
	expiresAt: string
	item: { id: string; externalId: string; context: ContextView; responses: ResponseView[] }
	draft: unknown
}

export type WorkspaceState =
	| { state: 'ready'; assignment: AssignmentView }
	| { state: 'done' }
	| { state: 'waiting'; retryAt: string | null }
	| { state: 'paused' | 'archived' | 'draft'; message: string }

const LETTERS = 'ABCDEFGHI'

export function toAssignmentView(assignment: Assignment): AssignmentView {
	const { context } = assignment.item
	const pairwise = assignment.project.taskType === 'pairwise'
	return {
		leaseId: assignment.lease.id,
		expiresAt: assignment.lease.expiresAt,
		item: {
			id: assignment.item.id,
			externalId: assignment.item.externalId,
			context:
				'messages' in context
					? { kind: 'messages', messages: context.messages.map((m) => ({ role: m.role, html: renderMarkdown(m.content) })) }
					: { kind: 'prompt', html: renderMarkdown(context.prompt) },
			responses: assignment.item.responses.map((response, index) => ({
				id: response.id,
				label: pairwise ? LETTERS[index]! : String(index + 1),
				model: response.model ?? null,
				text: pairwise ? response.content : '',
				...renderModelContent(response.content),
			})),
		},
		draft: assignment.draft,
	}
}

export async function nextWorkspaceState({ slug, user, project }: { slug: string; user: SessionUser; project: { id: string; overlap: number } }): Promise<WorkspaceState> {
	try {
		const assignment = await claimNext({ slug, user })
		if (assignment) return { state: 'ready', assignment: toAssignmentView(assignment) }
	} catch (error) {
		const reason = error instanceof AppError ? (error.extra?.reason as string | undefined) : undefined
		if (reason?.startsWith('project_')) {
			return { state: reason.slice('project_'.length) as 'paused' | 'archived' | 'draft', message: (error as AppError).message }
		}
		throw error
	}
	const availability = await workAvailability({ projectId: project.id, userId: user.id, overlap: project.overlap })
	return availability.waitingOnOthers ? { state: 'waiting', retryAt: availability.retryAt } : { state: 'done' }
}

/** The project's settings for the workspace; the guidelines only when the page needs them (not after each submit). */
export async function getWorkspaceProject({ slug, user, withGuidelines = true }: { slug: string; user: SessionUser; withGuidelines?: boolean }) {
	const project = await getProjectForUser({ slug, user, access: 'annotate' })
	const guideline = withGuidelines ? await prisma.guidelineVersion.findFirst({ where: { projectId: project.id }, orderBy: { version: 'desc' } }) : null
	const settings: Omit<AssignmentProject, 'guidelineVersion'> & { overlap: number; status: string } = {
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
		overlap: project.overlap,
		status: project.status,
	}
	return {
		project: settings,
		guidelines: { version: guideline?.version ?? 0, html: guideline?.content ? renderMarkdown(guideline.content) : '' },
	}
}

export async function workspaceProgress({ projectId, userId, now = new Date() }: { projectId: string; userId: string; now?: Date }) {
	const startOfDay = new Date(now)
	startOfDay.setUTCHours(0, 0, 0, 0)
	const [row] = await sql<{ mine: number; today: number; total: number; complete: number }>({
		name: 'quorum_workspace_progress',
		text: `SELECT
				(SELECT count(*)::int FROM judgments WHERE project_id = $1::uuid AND user_id = $2::uuid) AS mine,
				(SELECT count(*)::int FROM judgments WHERE project_id = $1::uuid AND user_id = $2::uuid AND created_at >= $3) AS today,
				count(*)::int AS total, count(*) FILTER (WHERE NOT is_open)::int AS complete
			FROM items WHERE project_id = $1::uuid AND NOT is_gold`,
		values: [projectId, userId, startOfDay],
	})
	return { mine: row?.mine ?? 0, today: row?.today ?? 0, itemsTotal: row?.total ?? 0, itemsComplete: row?.complete ?? 0 }
}

export async function lastJudgmentId({ projectId, userId }: { projectId: string; userId: string }) {
	const last = await prisma.judgment.findFirst({ where: { projectId, userId }, orderBy: { createdAt: 'desc' }, select: { id: true } })
	return last?.id ?? null
}
