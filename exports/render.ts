import type { Message, SourceContext } from './types.ts'

const human = '\n\nHuman: '
const assistant = '\n\nAssistant: '

/** A prompt context is one user turn; a messages context is its turns as stored. */
export function contextMessages(context: SourceContext): Message[] {
	if ('prompt' in context) return [{ role: 'user', content: context.prompt }]
	return context.messages.map(({ role, content }) => ({ role, content }))
}

/** The context as a plain prompt when it is one: a prompt, or exactly one user turn. */
export function plainPrompt(context: SourceContext): string | null {
	if ('prompt' in context) return context.prompt
	const [only, ...rest] = context.messages
	return only && rest.length === 0 && only.role === 'user' ? only.content : null
}

/**
 * Anthropic's HH-RLHF transcript. HH has no system role; a system message is written as plain
 * text where it stands, which for a leading system prompt is Anthropic's own convention for
 * its text-completion prompts (the text before the first `\n\nHuman:`).
 */
export function hhTranscript(messages: Message[]): string {
	return messages
		.map((message, index) => {
			if (message.role === 'user') return human + message.content
			if (message.role === 'assistant') return assistant + message.content
			return (index === 0 ? '' : '\n\n') + message.content
		})
		.join('')
}

/**
 * TRL's standard (plain text) style. A plain prompt stays as it is and the completion is the
 * response text. Any other context is rendered as an HH transcript ending in `\n\nAssistant:`,
 * and the completion is the response after one space, so prompt + completion is exactly the HH
 * transcript (the split TRL's Anthropic HH examples use).
 */
export function standardPrompt(context: SourceContext): string {
	const plain = plainPrompt(context)
	if (plain !== null) return plain
	return hhTranscript(contextMessages(context)) + assistant.trimEnd()
}

export function standardCompletion(context: SourceContext, content: string): string {
	return plainPrompt(context) === null ? ` ${content}` : content
}

export function assistantTurn(content: string): Message[] {
	return [{ role: 'assistant', content }]
}
