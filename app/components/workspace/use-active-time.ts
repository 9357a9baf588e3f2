import { useEffect, useRef } from 'react'

const IDLE_AFTER_MS = 60_000

/** Counts time the page is visible and the person has been active within the last minute. */
export function useActiveTime(initialMs: number) {
	const total = useRef(initialMs)
	const lastActivity = useRef(0)
	useEffect(() => {
		lastActivity.current = Date.now()
		const mark = () => (lastActivity.current = Date.now())
		const events = ['keydown', 'pointerdown', 'pointermove', 'scroll', 'wheel'] as const
		events.forEach((name) => window.addEventListener(name, mark, { passive: true }))
		let last = Date.now()
		const timer = setInterval(() => {
			const now = Date.now()
			if (document.visibilityState === 'visible' && now - lastActivity.current < IDLE_AFTER_MS)
				total.current += now - last
			last = now
		}, 1000)
		return () => {
			clearInterval(timer)
			events.forEach((name) => window.removeEventListener(name, mark))
		}
	}, [])
	return total
}
