import { createHash } from 'node:crypto'
import type { ExportOptions } from './options.ts'
import { contextMessages } from './render.ts'
import type { SourceContext, SplitName } from './types.ts'

export function normalizeText(text: string) {
	return text.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase()
}

/**
 * The key that decides a prompt's split. A prompt and a messages context holding the same
 * single user turn normalize alike, so they can never land in different splits.
 */
export function normalizedPromptKey(context: SourceContext) {
	return JSON.stringify(contextMessages(context).map((message) => [message.role, normalizeText(message.content)]))
}

/** A value in [0, 1) from sha256(seed, prompt): 48 bits fit a double exactly. */
export function splitValue({ context, seed }: { context: SourceContext; seed: string | number }) {
	const digest = createHash('sha256')
		.update(`${seed}\u0000${normalizedPromptKey(context)}`)
		.digest()
	return digest.readUIntBE(0, 6) / 2 ** 48
}

export function splitFor({ context, split }: { context: SourceContext; split: ExportOptions['split'] }): SplitName {
	if (split.test <= 0) return 'train'
	return splitValue({ context, seed: split.seed }) < split.test ? 'test' : 'train'
}
