export function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
	const proto: unknown = Object.getPrototypeOf(value)
	return proto === Object.prototype || proto === null
}

/** The JSON name of a value's type, as users see it in their files. */
export function typeName(value: unknown): string {
	if (value === null) return 'null'
	if (Array.isArray(value)) return 'array'
	if (typeof value === 'bigint') return 'number'
	return typeof value
}

export function typeMismatch({ expected, input }: { expected: string; input: unknown }) {
	return input === undefined ? `missing (expected ${expected})` : `expected ${expected}, got ${typeName(input)}`
}

const NUL = String.fromCharCode(0)

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

// Postgres text and jsonb cannot hold U+0000, and an unpaired surrogate is not encodable as UTF-8.
const isUnstorable = (text: string) => text.includes(NUL) || UNPAIRED_SURROGATE.test(text)

function unstorableReason(text: string): string | null {
	if (text.includes(NUL)) return 'contains a NUL character (U+0000), which cannot be stored'
	if (UNPAIRED_SURROGATE.test(text))
		return 'contains an unpaired surrogate escape (such as \\ud800), which is not valid Unicode'
	return null
}

/**
 * One iterative pass over a parsed line: how deep it nests (recursive code further on would
 * overflow the stack on a hostile line) and whether any text is unstorable.
 */
export function scanJson({ value, maxDepth }: { value: unknown; maxDepth: number }) {
	let unstorable = false
	const stack: [unknown, number][] = [[value, 0]]
	while (stack.length > 0) {
		const [current, depth] = stack.pop() as [unknown, number]
		if (typeof current === 'string') {
			if (!unstorable && isUnstorable(current)) unstorable = true
			continue
		}
		if (typeof current !== 'object' || current === null) continue
		if (depth >= maxDepth) return { tooDeep: true, unstorable }
		if (Array.isArray(current)) {
			for (const entry of current) stack.push([entry, depth + 1])
			continue
		}
		for (const key in current) {
			if (!unstorable && isUnstorable(key)) unstorable = true
			stack.push([(current as Record<string, unknown>)[key], depth + 1])
		}
	}
	return { tooDeep: false, unstorable }
}

/** Every string (and object key) in a JSON-like value that could not be stored as text. */
export function findUnstorableText({ value, path = [] }: { value: unknown; path?: (string | number)[] }) {
	const found: { path: (string | number)[]; message: string }[] = []
	const visit = (current: unknown, at: (string | number)[]) => {
		if (typeof current === 'string') {
			const reason = unstorableReason(current)
			if (reason) found.push({ path: at, message: reason })
		} else if (Array.isArray(current)) {
			current.forEach((entry, index) => visit(entry, [...at, index]))
		} else if (typeof current === 'object' && current !== null) {
			for (const [key, entry] of Object.entries(current)) {
				const reason = unstorableReason(key)
				if (reason) found.push({ path: at, message: `a field name ${reason}` })
				visit(entry, [...at, key])
			}
		}
	}
	visit(value, path)
	return found
}
