import { Form, useNavigation } from 'react-router'

export const utcTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`

/**
 * When the figures were computed, and the Recompute button for admins and the project's
 * reviewers. The figures are snapshots: the worker refreshes them, and a recompute of a large
 * project goes to the worker too.
 */
export function AnalyticsStatus({
	computedAt,
	canRecompute,
	result,
}: {
	computedAt: string | null
	canRecompute: boolean
	result?: { status: 'refreshed' | 'queued' } | null
}) {
	const navigation = useNavigation()
	const busy = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'recompute'
	return (
		<div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 bg-white px-4 py-2 text-sm">
			<p className="text-slate-600" data-testid="computed-at">
				{computedAt ? (
					<>
						Computed at <time dateTime={computedAt}>{utcTime(computedAt)}</time>
					</>
				) : (
					<span className="font-medium text-amber-800">
						Not computed yet. The worker is computing these figures for this large project.
					</span>
				)}
				{result?.status === 'queued' ? (
					<span className="ml-2 text-indigo-700">A recompute is queued; reload in a minute.</span>
				) : null}
				{result?.status === 'refreshed' ? (
					<span role="status" className="ml-2 text-emerald-700">
						Recomputed.
					</span>
				) : null}
			</p>
			{canRecompute ? (
				<Form method="post">
					<button type="submit" name="intent" value="recompute" className="btn-secondary" disabled={busy}>
						{busy ? 'Recomputing…' : 'Recompute'}
					</button>
				</Form>
			) : null}
		</div>
	)
}

export function Downloads({ slug, tables }: { slug: string; tables: { table: string; label: string }[] }) {
	return (
		<p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
			<span>Download CSV:</span>
			{tables.map(({ table, label }) => (
				<a
					key={table}
					href={`/projects/${slug}/analytics/${table}?format=csv`}
					className="text-indigo-700 underline"
					download
				>
					{label}
				</a>
			))}
		</p>
	)
}
