// A placeholder origin: only whether a target stays on it matters, never the host itself.
const HOME = 'http://quorum.invalid'
// Browsers drop tabs and newlines from a Location, which would turn "/\t/evil.com" into "//evil.com".
function hasControlCharacter(text: string) {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i)
		if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true
	}
	return false
}

/** Only same-site paths, so a crafted link cannot bounce a fresh login to another site. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/') {
	if (typeof to !== 'string' || !to.startsWith('/') || hasControlCharacter(to)) return fallback
	let url: URL
	try {
		url = new URL(to, HOME)
	} catch {
		return fallback
	}
	if (url.origin !== HOME) return fallback
	const path = `${url.pathname}${url.search}${url.hash}`
	return path.startsWith('//') ? fallback : path
}
