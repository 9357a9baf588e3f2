import type { ProjectStatus } from '#app/generated/prisma/enums.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import {
	currentRendering,
	renderItem,
	storeRenderingLater,
	type ContextView,
} from '#app/modules/content/render-item.server.ts'
import {
	renderMarkdown,
	renderModelContent,
	type RenderedContent,
} from '#app/modules/content/render-markdown.server.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { judgedAsPair } from '#app/modules/projects/arena-settings.ts'
import { ProjectStatusSchema } from '#app/modules/projects/project.schema.ts'
import { prisma, sql } from '#app/utils/db.server.ts'
import { AppError } from '#app/utils/errors.ts'
import { assertProjectOpenForWork, toAssignmentProject, type AssignmentProject } from './assignment-project.ts'
import { workspaceProgressQuery, type WorkspaceProgressRow } from './assignments.queries.ts'
import { claimNext } from './claim-next.server.ts'
import type { Assignment } from './serialize-assignment.ts'
import type { NextState } from './submit-and-next.server.ts'
import { workAvailability } from './work-availability.server.ts'

export type { ContextView }

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
	| { state: Exclude<ProjectStatus, 'active'>; message: string }

const LETTERS = 'ABCDEFGHI'
/** The statuses in which a project takes no work; claimNext names them in its error. */
const ClosedStatusSchema = ProjectStatusSchema.exclude(['active'])

/** The workspace's view of an assignment, from the item's stored HTML; an item not rendered by the current renderer is rendered now and stored for next time. */
export function toAssignmentView(assignment: Assignment): AssignmentView {
	const pairwise = judgedAsPair(assignment.project.taskType)
	let rendered = currentRendering(assignment.rendered)
	if (!rendered) {
		rendered = renderItem({
			context: assignment.item.context,
			responses: assignment.item.responses.map((response) => ({ key: response.id, content: response.content })),
		})
		// A comparison lease holds two of the item's responses: a rendering of those alone is not the item's.
		if (assignment.project.taskType !== 'comparison') storeRenderingLater({ itemId: assignment.item.id, rendered })
	}
	return {
		leaseId: assignment.lease.id,
		expiresAt: assignment.lease.expiresAt,
		item: {
			id: assignment.item.id,
			externalId: assignment.item.externalId,
			context: rendered.context,
			responses: assignment.item.responses.map((response, index) => ({
				id: response.id,
				label: pairwise ? LETTERS[index]! : String(index + 1),
				model: response.model ?? null,
				text: pairwise ? response.content : '',
				...(rendered.responses[response.id] ?? renderModelContent(response.content)),
			})),
		},
		draft: assignment.draft,
	}
}

export async function nextWorkspaceState({
	slug,
	user,
	project,
}: {
	slug: string
	user: SessionUser
	project: { id: string; overlap: number }
}): Promise<WorkspaceState> {
	try {
		const assignment = await claimNext({ slug, user })
		if (assignment) return { state: 'ready', assignment: toAssignmentView(assignment) }
	} catch (error) {
		if (!(error instanceof AppError)) throw error
		const reason = error.extra?.reason
		const closed =
			typeof reason === 'string' && reason.startsWith('project_')
				? ClosedStatusSchema.safeParse(reason.slice('project_'.length))
				: undefined
		if (!closed?.success) throw error
		return { state: closed.data, message: error.message }
	}
	const availability = await workAvailability({ projectId: project.id, userId: user.id, overlap: project.overlap })
	return availability.waitingOnOthers ? { state: 'waiting', retryAt: availability.retryAt } : { state: 'done' }
}

/** The workspace's next state from what `submitAndNext` claimed; null when the caller may no longer annotate here. */
export async function workspaceStateAfterSubmit({
	next,
	project,
	user,
}: {
	next: NextState | null
	project: { id: string; overlap: number; name: string }
	user: SessionUser
}): Promise<WorkspaceState | null> {
	if (!next || next.state === 'forbidden') return null
	if (next.state === 'ready') return { state: 'ready', assignment: toAssignmentView(next.assignment) }
	if (next.state === 'none') {
		const availability = await workAvailability({ projectId: project.id, userId: user.id, overlap: project.overlap })
		return availability.waitingOnOthers ? { state: 'waiting', retryAt: availability.retryAt } : { state: 'done' }
	}
	const status = ClosedStatusSchema.parse(next.state.slice('project_'.length))
	try {
		assertProjectOpenForWork({ status, name: project.name })
	} catch (error) {
		if (error instanceof AppError) return { state: status, message: error.message }
		throw error
	}
	return null
}

/** The project's settings for the workspace; the guidelines only when the page needs them (not after each submit). */
export async function getWorkspaceProject({
	slug,
	user,
	withGuidelines = true,
}: {
	slug: string
	user: SessionUser
	withGuidelines?: boolean
}) {
	const project = await getProjectForUser({ slug, user, access: 'annotate' })
	const guideline = withGuidelines
		? await prisma.guidelineVersion.findFirst({ where: { projectId: project.id }, orderBy: { version: 'desc' } })
		: null
	const { guidelineVersion: _guidelineVersion, ...assignmentProject } = toAssignmentProject(project, 0)
	const settings: Omit<AssignmentProject, 'guidelineVersion'> & { overlap: number; status: ProjectStatus } = {
		...assignmentProject,
		overlap: project.overlap,
		status: project.status,
	}
	return {
		project: settings,
		guidelines: { version: guideline?.version ?? 0, html: guideline?.content ? renderMarkdown(guideline.content) : '' },
	}
}

export async function workspaceProgress({
	projectId,
	userId,
	now = new Date(),
}: {
	projectId: string
	userId: string
	now?: Date
}) {
	const startOfDay = new Date(now)
	startOfDay.setUTCHours(0, 0, 0, 0)
	const [row] = await sql<WorkspaceProgressRow>(workspaceProgressQuery({ projectId, userId, startOfDay }))
	return {
		mine: row?.mine ?? 0,
		today: row?.today ?? 0,
		itemsTotal: row?.total ?? 0,
		itemsComplete: row?.complete ?? 0,
	}
}

export async function lastJudgmentId({ projectId, userId }: { projectId: string; userId: string }) {
	const last = await prisma.judgment.findFirst({
		where: { projectId, userId },
		orderBy: { createdAt: 'desc' },
		select: { id: true },
	})
	return last?.id ?? null
}
