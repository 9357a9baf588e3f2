import { useEffect } from 'react'
import { useFetcher } from 'react-router'
import type { WorkspaceActionResult } from './types.ts'

/**
 * Renews the lease while the page is visible, a few times per lease period (every third of it,
 * between 20 seconds and 2 minutes). Answers whether the last renewal found the lease expired.
 */
export function useLeaseRenewal({
	action,
	leaseId,
	leaseSeconds,
	enabled,
}: {
	action: string
	leaseId: string
	leaseSeconds: number
	enabled: boolean
}) {
	const { submit, data } = useFetcher<WorkspaceActionResult>()
	useEffect(() => {
		if (!enabled) return
		const every = Math.max(20, Math.min(leaseSeconds / 3, 120)) * 1000
		const timer = setInterval(() => {
			if (document.visibilityState === 'visible')
				submit({ intent: 'renew', leaseId } as never, { method: 'post', encType: 'application/json', action })
		}, every)
		return () => clearInterval(timer)
	}, [enabled, leaseId, leaseSeconds, action, submit])
	return { expired: !!data && !data.ok && data.reason === 'lease_expired' }
}
