import { useEffect, useState } from 'react'
import { Form, Link, useRevalidator } from 'react-router'
import type { ExportView } from '#app/modules/exports/serialize-export.ts'

const statusStyles: Record<ExportView['status'], string> = {
	queued: 'bg-slate-100 text-slate-700',
	running: 'bg-sky-100 text-sky-800',
	succeeded: 'bg-emerald-100 text-emerald-800',
	failed: 'bg-rose-100 text-rose-800',
	cancelled: 'bg-slate-200 text-slate-600',
}

export function ExportStatusBadge({ status }: { status: ExportView['status'] }) {
	return (
		<span className={`whitespace-nowrap rounded px-2 py-0.5 text-xs font-medium ${statusStyles[status]}`}>
			{status}
		</span>
	)
}

export const isActive = (job: Pick<ExportView, 'status'>) => job.status === 'queued' || job.status === 'running'

function duration(ms: number) {
	const seconds = Math.max(1, Math.round(ms / 1000))
	if (seconds < 60) return `${seconds} s`
	const minutes = Math.round(seconds / 60)
	if (minutes < 60) return `${minutes} min`
	return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

export function bytes(n: number) {
	if (n >= 1_073_741_824) return `${(n / 1_073_741_824).toFixed(2)} GB`
	if (n >= 1_048_576) return `${(n / 1_048_576).toFixed(1)} MB`
	if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`
	return `${n} B`
}

/** Progress with an ETA extrapolated from the time spent so far. */
export function ExportProgress({ job, now }: { job: ExportView; now: number }) {
	if (!isActive(job)) return <ExportStatusBadge status={job.status} />
	const percent = Math.round(job.progress * 100)
	const started = job.startedAt ? Date.parse(job.startedAt) : null
	const eta =
		started && job.progress > 0.02 && job.progress < 1 ? ((now - started) * (1 - job.progress)) / job.progress : null
	return (
		<div className="min-w-40 space-y-1">
			<div className="flex items-center justify-between gap-2 text-xs">
				<ExportStatusBadge status={job.status} />
				<span className="text-slate-600">
					{job.status === 'queued'
						? 'waiting for a worker'
						: `${percent}%${eta !== null ? ` · about ${duration(eta)} left` : ''}`}
				</span>
			</div>
			<div
				role="progressbar"
				aria-label={`Export ${job.id.slice(0, 8)} progress`}
				aria-valuemin={0}
				aria-valuemax={100}
				aria-valuenow={percent}
				className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200"
			>
				<div className="h-full bg-indigo-600 transition-[width]" style={{ width: `${percent}%` }} />
			</div>
		</div>
	)
}

/** Re-runs the loaders every two seconds while an export is queued or running. */
export function useExportPolling(active: boolean) {
	const revalidator = useRevalidator()
	const [now, setNow] = useState(() => Date.now())
	useEffect(() => {
		if (!active) return
		const timer = setInterval(() => {
			setNow(Date.now())
			if (revalidator.state === 'idle') void revalidator.revalidate()
		}, 2000)
		return () => clearInterval(timer)
	}, [active, revalidator])
	return now
}

export function ExportActions({ job, cancelAction }: { job: ExportView; cancelAction?: string }) {
	return (
		<div className="flex flex-wrap items-center gap-2">
			{job.available ? (
				<a href={`/exports/${job.id}/download`} className="btn-primary" download>
					Download
				</a>
			) : null}
			{job.status === 'succeeded' && !job.available ? <span className="text-xs text-slate-500">pruned</span> : null}
			{isActive(job) && cancelAction !== undefined ? (
				<Form method="post" action={cancelAction}>
					<input type="hidden" name="intent" value="cancel" />
					<input type="hidden" name="exportId" value={job.id} />
					<button type="submit" className="btn-secondary">
						Cancel
					</button>
				</Form>
			) : null}
		</div>
	)
}

export function ExportDetails({ job }: { job: ExportView }) {
	return (
		<details className="text-xs">
			<summary className="cursor-pointer text-indigo-700 hover:underline">
				{job.status === 'succeeded' ? 'Manifest' : 'Details'}
			</summary>
			<div className="mt-2 max-w-xl space-y-2">
				{job.error ? <p className="text-rose-700">{job.error}</p> : null}
				{job.counts ? (
					<p className="text-slate-700">
						{job.counts.train.toLocaleString('en-US')} train, {job.counts.test.toLocaleString('en-US')} test rows from{' '}
						{job.counts.judgments.toLocaleString('en-US')} records
						{Object.keys(job.counts.skipped).length > 0
							? `; left out: ${Object.entries(job.counts.skipped)
									.map(([reason, n]) => `${reason} ${n}`)
									.join(', ')}`
							: ''}
					</p>
				) : null}
				{job.files.length > 0 ? (
					<ul className="space-y-0.5 font-mono">
						{job.files.map((file) => (
							<li key={file.path} className="break-all">
								{file.path} · {bytes(file.bytes)} · <span title="SHA-256">{file.sha256.slice(0, 16)}…</span>
							</li>
						))}
					</ul>
				) : null}
				<pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-[11px]">
					{JSON.stringify(job.manifest ?? { format: job.format, options: job.options }, null, 2)}
				</pre>
			</div>
		</details>
	)
}

export function ProjectExportLink({ job }: { job: ExportView }) {
	return (
		<Link to={`/projects/${job.project.slug}/exports`} className="font-medium text-slate-900 hover:underline">
			{job.project.name}
		</Link>
	)
}
