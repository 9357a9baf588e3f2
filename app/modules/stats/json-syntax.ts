export interface JsonSyntaxProblem {
	/** 1-based. */
	line: number
	/** 1-based, in UTF-16 code units. */
	column: number
	message: string
}

class SyntaxProblem extends Error {
	readonly offset: number
	constructor(offset: number, message: string) {
		super(message)
		this.offset = offset
	}
}

/**
 * Finds where and why `text` is not valid JSON. V8's JSON.parse messages give no line or column,
 * so this re-scans the text once parsing has failed. Returns null if the text is valid.
 */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
	let pos = 0

	const describe = (at: number): string =>
		at >= text.length ? 'end of input' : JSON.stringify(String.fromCodePoint(text.codePointAt(at) as number))
	const fail = (message: string, at = pos): never => {
		throw new SyntaxProblem(at, message)
	}
	const skipWhitespace = (): void => {
		while (pos < text.length) {
			const ch = text[pos]
			if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') pos++
			else break
		}
	}
	const literal = (word: string): void => {
		if (text.startsWith(word, pos)) pos += word.length
		else fail(`unexpected ${describe(pos)}`)
	}
	const string = (): void => {
		const start = pos
		pos++
		for (;;) {
			if (pos >= text.length) fail('unterminated string', start)
			const code = text.charCodeAt(pos)
			if (code === 0x22) {
				pos++
				return
			}
			if (code < 0x20) fail('control character inside a string (escape it)')
			if (code === 0x5c) {
				const next = text[pos + 1]
				if (next === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('invalid \\u escape')
					pos += 6
				} else if (next !== undefined && '"\\/bfnrt'.includes(next)) pos += 2
				else fail('invalid escape in string')
			} else pos++
		}
	}
	const number = (): void => {
		const pattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
		pattern.lastIndex = pos
		const match = pattern.exec(text)
		if (!match) fail(`unexpected ${describe(pos)}`)
		else pos += match[0].length
	}
	const value = (depth: number): void => {
		if (depth > 5000) fail('nesting too deep')
		skipWhitespace()
		const ch = text[pos]
		if (ch === '{') {
			pos++
			skipWhitespace()
			if (text[pos] === '}') {
				pos++
				return
			}
			for (;;) {
				skipWhitespace()
				if (text[pos] !== '"') fail(`expected a string key, got ${describe(pos)}`)
				string()
				skipWhitespace()
				if (text[pos] !== ':') fail(`expected ":", got ${describe(pos)}`)
				pos++
				value(depth + 1)
				skipWhitespace()
				if (text[pos] === ',') pos++
				else if (text[pos] === '}') {
					pos++
					return
				} else fail(`expected "," or "}", got ${describe(pos)}`)
			}
		} else if (ch === '[') {
			pos++
			skipWhitespace()
			if (text[pos] === ']') {
				pos++
				return
			}
			for (;;) {
				value(depth + 1)
				skipWhitespace()
				if (text[pos] === ',') pos++
				else if (text[pos] === ']') {
					pos++
					return
				} else fail(`expected "," or "]", got ${describe(pos)}`)
			}
		} else if (ch === '"') string()
		else if (ch === 't') literal('true')
		else if (ch === 'f') literal('false')
		else if (ch === 'n') literal('null')
		else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number()
		else fail(ch === undefined ? 'unexpected end of input' : `unexpected ${describe(pos)}`)
	}

	try {
		value(0)
		skipWhitespace()
		if (pos < text.length) fail(`unexpected ${describe(pos)} after the JSON value`)
		return null
	} catch (error) {
		if (!(error instanceof SyntaxProblem)) throw error
		return { ...lineAndColumn(text, error.offset), message: error.message }
	}
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	let line = 1
	let lineStart = 0
	for (let i = 0; i < offset && i < text.length; i++) {
		if (text.charCodeAt(i) === 0x0a) {
			line++
			lineStart = i + 1
		}
	}
	return { line, column: offset - lineStart + 1 }
}
