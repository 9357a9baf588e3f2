import { useEffect } from 'react'

/**
 * While the annotator works on an item, asks once for a read-only preview of the likely next one
 * (`/projects/:slug/annotate/preview`). The server renders and stores that item's HTML if it has
 * none, so the claim that the submission makes reads HTML instead of rendering it. Nothing is
 * reserved; a failure is of no consequence.
 */
export function usePreviewNext({ slug, leaseId, enabled }: { slug: string; leaseId: string; enabled: boolean }) {
	useEffect(() => {
		if (!enabled) return
		const controller = new AbortController()
		const timer = setTimeout(() => {
			fetch(`/projects/${slug}/annotate/preview`, { signal: controller.signal, headers: { Accept: 'application/json' } }).catch(() => {})
		}, 500)
		return () => {
			clearTimeout(timer)
			controller.abort()
		}
	}, [slug, leaseId, enabled])
}
