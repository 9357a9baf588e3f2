/** Lower case, whitespace collapsed: two answers equal after this are the same answer. */
export function normalizeForComparison(text: string) {
	return text
		.replace(/^\s*<think>[\s\S]*?(<\/think>|$)/i, '')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim()
}

function shingles(text: string, size = 5) {
	const set = new Set<string>()
	if (text.length < size) {
		set.add(text)
		return set
	}
	for (let i = 0; i + size <= text.length; i++) set.add(text.slice(i, i + size))
	return set
}

/** Jaccard similarity of the two texts' character 5-gram sets, after normalization. */
export function similarity(a: string, b: string) {
	const left = normalizeForComparison(a)
	const right = normalizeForComparison(b)
	if (left === right) return 1
	const x = shingles(left)
	const y = shingles(right)
	let shared = 0
	for (const gram of x) if (y.has(gram)) shared++
	return shared / (x.size + y.size - shared)
}

export function isNearDuplicate(a: string, b: string, threshold: number) {
	return similarity(a, b) >= threshold
}
