import type { TaskType } from '#app/generated/prisma/enums.ts'

/**
 * The built-in judge prompt (template version 0). Placeholders in double braces are filled per
 * item and order; unknown ones are left as written, so a typo shows up in the preview.
 */
export const DEFAULT_JUDGE_TEMPLATE = `You are an impartial expert judge comparing AI assistant responses for a human-feedback dataset.

## Task
{{task}}

## Guidelines
{{guidelines}}

## Criteria
{{criteria}}

## Conversation
{{context}}

## Responses
{{responses}}

## Your verdict
Judge only the quality of the responses under the guidelines and criteria. The order in which the responses are shown and their length are not evidence of quality; do not favour a response for either.

{{verdict_format}}`

export const JUDGE_TEMPLATE_PLACEHOLDERS = [
	'task',
	'guidelines',
	'criteria',
	'context',
	'responses',
	'labels',
	'verdict_format',
] as const

export type JudgeContext = {
	prompt?: string
	messages?: { role: string; content: string }[]
}

export type JudgePromptInput = {
	taskType: TaskType
	useStrength: boolean
	guidelines: string
	criteria: { name: string; description?: string; min?: number; max?: number }[]
	context: JudgeContext
	/** The responses in the order shown. */
	responses: { content: string }[]
}

/** "A", "B", ... for the responses in the order shown. */
export const labelsFor = (count: number) => Array.from({ length: count }, (_, i) => String.fromCharCode(65 + i))

export const STRENGTH_WORDS = ['negligible', 'slight', 'clear', 'significant'] as const

/** Whether the judge is asked for a strength: pairwise projects that use it. */
export const asksStrength = ({ taskType, useStrength }: { taskType: TaskType; useStrength: boolean }) =>
	useStrength && taskType !== 'ranking'

function taskText({ taskType, count }: { taskType: TaskType; count: number }) {
	if (taskType === 'ranking')
		return `Rank all ${count} responses from best to worst. Responses of equal quality may share a place.`
	return 'Decide which of the two responses is better, or whether they are equally good (a tie).'
}

function contextText(context: JudgeContext) {
	if (context.messages?.length)
		return context.messages
			.map((message) => `### ${message.role.charAt(0).toUpperCase()}${message.role.slice(1)}\n${message.content}`)
			.join('\n\n')
	return `### User\n${context.prompt ?? ''}`
}

/** The response blocks, each between `[Response X]` and `[End of Response X]` lines. */
export function responsesText(responses: { content: string }[]) {
	const labels = labelsFor(responses.length)
	return responses
		.map((response, i) => `[Response ${labels[i]}]\n${response.content}\n[End of Response ${labels[i]}]`)
		.join('\n\n')
}

function verdictFormatText(input: { taskType: TaskType; useStrength: boolean; count: number }) {
	const labels = labelsFor(input.count)
	const strength = asksStrength(input)
	const example =
		input.taskType === 'ranking'
			? `{"ranking": [${labels
					.slice()
					.reverse()
					.map((label) => `["${label}"]`)
					.join(', ')}], "confidence": 0.8, "rationale": "..."}`
			: `{"ranking": [["B"], ["A"]]${strength ? ', "strength": 2' : ''}, "confidence": 0.8, "rationale": "..."}`
	const lines = [
		'Answer with one JSON object and nothing else:',
		`- "ranking": tiers of response labels (${labels.join(', ')}), best first; every label exactly once; labels in one tier are tied${input.taskType === 'ranking' ? '' : ' (a tie is [["A", "B"]])'};`,
		...(strength
			? [
					'- "strength": how much better the better response is: 0 negligible, 1 slight, 2 clear, 3 significant (leave it out for a tie);',
				]
			: []),
		'- "confidence": how sure you are of this verdict, from 0 to 1;',
		'- "rationale": one or two sentences.',
		'',
		`Example: ${example}`,
	]
	return lines.join('\n')
}

function criteriaText(criteria: JudgePromptInput['criteria']) {
	if (criteria.length === 0) return 'Overall quality: helpfulness, correctness, harmlessness.'
	return criteria
		.map(
			(criterion) =>
				`- ${criterion.name}${criterion.description ? `: ${criterion.description}` : ''}${
					criterion.min !== undefined && criterion.max !== undefined ? ` (${criterion.min}–${criterion.max})` : ''
				}`,
		)
		.join('\n')
}

/** The template filled for one item in one order: the single user turn sent to the judge. */
export function renderJudgePrompt({ template, input }: { template: string; input: JudgePromptInput }) {
	const count = input.responses.length
	const values: Record<string, string> = {
		task: taskText({ taskType: input.taskType, count }),
		guidelines: input.guidelines.trim() || '(No project guidelines.)',
		criteria: criteriaText(input.criteria),
		context: contextText(input.context),
		responses: responsesText(input.responses),
		labels: labelsFor(count).join(', '),
		verdict_format: verdictFormatText({ taskType: input.taskType, useStrength: input.useStrength, count }),
	}
	return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole)
}
