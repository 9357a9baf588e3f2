import { useEffect, useRef } from 'react'

export function isTypingTarget(target: EventTarget | null) {
	if (!(target instanceof HTMLElement)) return false
	if (target.isContentEditable) return true
	const tag = target.tagName
	if (tag === 'TEXTAREA' || tag === 'SELECT') return true
	if (tag === 'INPUT') {
		const type = (target as HTMLInputElement).type
		return !['checkbox', 'radio', 'button', 'submit'].includes(type)
	}
	return false
}

/** One keydown listener for the page; no key fires while the person is typing. */
export function useHotkeys(handler: (event: KeyboardEvent) => boolean | void) {
	const ref = useRef(handler)
	useEffect(() => {
		ref.current = handler
	})
	useEffect(() => {
		const listener = (event: KeyboardEvent) => {
			if (event.defaultPrevented || event.altKey) return
			if (isTypingTarget(event.target) && !(event.key === 'Enter' && (event.ctrlKey || event.metaKey))) return
			if ((event.ctrlKey || event.metaKey) && event.key !== 'Enter') return
			if (ref.current(event)) event.preventDefault()
		}
		window.addEventListener('keydown', listener)
		return () => window.removeEventListener('keydown', listener)
	}, [])
}
