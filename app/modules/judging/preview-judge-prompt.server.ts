import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { parseCriteria } from '#app/modules/projects/json-columns.ts'
import { getProjectForUser } from '#app/modules/projects/get-project.server.ts'
import { getCurrentGuidelines } from '#app/modules/projects/guidelines.server.ts'
import { sql } from '#app/utils/db.server.ts'
import { fieldErrorsFromZod, invalid } from '#app/utils/errors.ts'
import { renderJudgePrompt, type JudgeContext } from './judge-template.ts'
import { JudgeTemplateInputSchema } from './judging.schema.ts'

/**
 * The template filled for the project's first servable item in order 0, exactly as the judge
 * would receive it; a sample item stands in while the project has none.
 */
export async function previewJudgePrompt({
	slug,
	user,
	content,
}: {
	slug: string
	user: SessionUser
	content: unknown
}) {
	assertPermission(user, 'run:models')
	const project = await getProjectForUser({ slug, user, access: 'read' })
	const parsed = JudgeTemplateInputSchema.safeParse({ content })
	if (!parsed.success) throw invalid('The judge template is invalid', fieldErrorsFromZod(parsed.error.issues))
	const [item] = await sql<{ external_id: string; context: JudgeContext; responses: { content: string }[] }>({
		text: `SELECT i.external_id, i.context,
				(SELECT json_agg(json_build_object('content', r.content) ORDER BY r.position, r.key) FROM responses r WHERE r.item_id = i.id) AS responses
			FROM items i WHERE i.project_id = $1::uuid AND NOT i.awaiting_responses AND i.generation_issue IS NULL
				AND (SELECT count(*) FROM responses r WHERE r.item_id = i.id) >= 2
			ORDER BY i.seq LIMIT 1`,
		values: [project.id],
	})
	const guidelines = await getCurrentGuidelines({ projectId: project.id })
	const sample = item ?? {
		external_id: null,
		context: { prompt: 'What is the capital of Australia?' },
		responses: [{ content: 'Canberra.' }, { content: 'Sydney.' }],
	}
	const prompt = renderJudgePrompt({
		template: parsed.data.content,
		input: {
			taskType: project.taskType,
			useStrength: project.useStrength,
			guidelines: guidelines.content,
			criteria: parseCriteria(project.criteria),
			context: sample.context,
			responses: sample.responses ?? [],
		},
	})
	return { prompt, itemExternalId: sample.external_id }
}
