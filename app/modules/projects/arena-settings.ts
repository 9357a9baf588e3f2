import { z } from 'zod'
import type { TaskType } from '#app/generated/prisma/enums.ts'

/**
 * Words that reveal a response's model or vendor. A response containing one (case-insensitive, as
 * a whole word or phrase) is marked `self_identifies`; its battles stay out of the leaderboard
 * unless the project includes them. Edit the list per project in its settings.
 */
export const DEFAULT_SELF_ID_WORDS: readonly string[] = [
	'ChatGPT',
	'OpenAI',
	'GPT-3.5',
	'GPT-4',
	'GPT-4o',
	'GPT-5',
	'Claude',
	'Anthropic',
	'Gemini',
	'Bard',
	'Google DeepMind',
	'DeepMind',
	'Llama',
	'Meta AI',
	'Mistral',
	'Mixtral',
	'Qwen',
	'Alibaba',
	'DeepSeek',
	'Grok',
	'xAI',
	'Phi',
	'Gemma',
	'Command R',
	'Cohere',
	'01.AI',
	'Zhipu',
	'GLM',
	'Kimi',
	'Moonshot',
	'language model trained by',
	'model developed by',
	'created by OpenAI',
]

export const SelfIdWordsSchema = z
	.array(z.string().trim().min(1, 'A word cannot be empty').max(100, 'A word must be at most 100 characters'), {
		error: 'selfIdWords must be a list of words',
	})
	.max(500, 'At most 500 words')

export const ArenaSettingsSchema = z
	.object({
		selfIdWords: SelfIdWordsSchema.optional().describe(
			'Words and phrases that reveal a model or vendor (case-insensitive, whole words); left out: the default list',
		),
		includeSelfIdentified: z
			.boolean({ error: 'includeSelfIdentified must be true or false' })
			.optional()
			.describe('Count battles where a response names its model or vendor in the leaderboard (default false)'),
	})
	.strict()
export type ArenaSettingsInput = z.input<typeof ArenaSettingsSchema>
export type ArenaSettings = { selfIdWords: string[]; includeSelfIdentified: boolean }

/** `projects.arena` with its defaults. */
export function arenaSettings(stored: unknown): ArenaSettings {
	const parsed = ArenaSettingsSchema.safeParse(stored ?? {})
	const value = parsed.success ? parsed.data : {}
	return {
		selfIdWords: value.selfIdWords ?? [...DEFAULT_SELF_ID_WORDS],
		includeSelfIdentified: value.includeSelfIdentified ?? false,
	}
}

/** What `projects.arena` holds, as given (no defaults filled in); {} when unreadable. */
export function arenaSettingsInput(stored: unknown): z.output<typeof ArenaSettingsSchema> {
	const parsed = ArenaSettingsSchema.safeParse(stored ?? {})
	return parsed.success ? parsed.data : {}
}

/** Comparison projects show two responses per lease and are judged like pairwise ones. */
export const judgedAsPair = (taskType: TaskType) => taskType === 'pairwise' || taskType === 'comparison'

const escapeRegex = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The PostgreSQL regular expression (for `~*`) that finds any of the words as a whole word or
 * phrase: `\m`/`\M` (start/end of a word) where the word begins or ends with a letter or digit,
 * and the spaces inside a phrase matching any run of white space. Null for an empty list.
 */
export function selfIdPattern(words: readonly string[]): string | null {
	const alternatives = [...new Set(words.map((word) => word.trim()).filter(Boolean))].map((word) => {
		const body = word.split(/\s+/).map(escapeRegex).join('\\s+')
		return `${/^\w/.test(word) ? '\\m' : ''}${body}${/\w$/.test(word) ? '\\M' : ''}`
	})
	return alternatives.length > 0 ? `(${alternatives.join('|')})` : null
}

/** The pattern to flag a project's responses with, or null when the project is not a comparison project. */
export function projectSelfIdPattern(project: { taskType: TaskType; arena: unknown }): string | null {
	return project.taskType === 'comparison' ? selfIdPattern(arenaSettings(project.arena).selfIdWords) : null
}
