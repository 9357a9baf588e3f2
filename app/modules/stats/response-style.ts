import { countTokens } from 'gpt-tokenizer/encoding/o200k_base'

/** What style control measures of one response. */
export type ResponseStyle = { tokens: number; headers: number; lists: number; bold: number }

// FastChat's fastchat/serve/monitor/add_markdown_info.py (lm-sys/FastChat 0e6d3e4b), with
// Python's Unicode \d as \p{Nd}.
const CODE_BLOCK = /```([^`]*)```/g
const HEADERS = [1, 2, 3, 4, 5, 6].map((level) => new RegExp(`^#{${level}}\\s`, 'gmu'))
const ORDERED = /^\s*\p{Nd}+\.\s/gmu
const UNORDERED = /^\s*[-*+]\s/gmu
const BOLD_STARS = /\*\*[^*\n]+\*\*/g
const BOLD_UNDERSCORES = /__[^_\n]+__/g

function count(pattern: RegExp, text: string): number {
	let n = 0
	for (const _ of text.matchAll(pattern)) n++
	return n
}

/**
 * FastChat's remove_pattern: it removes every occurrence of each code block's inside (the
 * captured group), leaving the fences, and markdown is counted on what remains.
 */
function withoutCodeBlocks(text: string): string {
	let result = text
	for (const match of text.matchAll(CODE_BLOCK)) {
		const inside = match[1] as string
		if (inside !== '') result = result.split(inside).join('')
	}
	return result
}

/**
 * Tokens (o200k, via gpt-tokenizer; FastChat used tiktoken's cl100k) and markdown elements as
 * FastChat counts them: headers `^#{1..6}\s` (note `^#\s` only matches a level-1 header, and so
 * on), list items `^\s*\d+\.\s` and `^\s*[-*+]\s`, bold spans `**x**` and `__x__`, after removing
 * the inside of fenced code blocks. Tokens count the whole response.
 */
export function responseStyle(text: string): ResponseStyle {
	const prose = withoutCodeBlocks(text)
	return {
		tokens: countTokens(text),
		headers: HEADERS.reduce((sum, pattern) => sum + count(pattern, prose), 0),
		lists: count(ORDERED, prose) + count(UNORDERED, prose),
		bold: count(BOLD_STARS, prose) + count(BOLD_UNDERSCORES, prose),
	}
}
