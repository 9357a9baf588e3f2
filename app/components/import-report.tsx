import type { ImportError } from '#app/modules/imports/parse/types.ts'

export type ImportReportView = {
	refused: boolean
	imported: number
	updated: number
	unchanged: number
	errors: ImportError[]
	errorCount: number
	invalidLines: number
	detail?: string
}

const number = (value: number) => value.toLocaleString('en-US')

/** What an import did: counts, and every reported bad line with its field and what was expected. */
export function ImportReport({ report }: { report: ImportReportView }) {
	const shown = report.errors.length
	return (
		<section className="card space-y-4" aria-labelledby="report-heading" data-testid="import-report">
			<h2 id="report-heading" className="font-semibold">
				{report.refused ? 'Import refused: nothing was imported' : 'Import finished'}
			</h2>
			{report.refused ? (
				<p role="alert" className="rounded-md bg-rose-50 p-3 text-sm text-rose-900">
					{report.errors.some((error) => error.line === 0)
						? (report.detail ?? 'The file cannot be imported.')
						: `${number(report.invalidLines)} ${report.invalidLines === 1 ? 'line is' : 'lines are'} invalid. Fix them and upload the file again, or tick “Skip invalid lines” to import only the valid ones.`}
				</p>
			) : null}
			<dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
				<div>
					<dt className="text-slate-500">New items</dt>
					<dd className="text-xl font-semibold">{number(report.imported)}</dd>
				</div>
				<div>
					<dt className="text-slate-500">Updated</dt>
					<dd className="text-xl font-semibold">{number(report.updated)}</dd>
				</div>
				<div>
					<dt className="text-slate-500">Unchanged</dt>
					<dd className="text-xl font-semibold">{number(report.unchanged)}</dd>
				</div>
				<div>
					<dt className="text-slate-500">Invalid lines</dt>
					<dd className={`text-xl font-semibold ${report.invalidLines > 0 ? 'text-rose-700' : ''}`}>
						{number(report.invalidLines)}
					</dd>
				</div>
			</dl>
			{shown > 0 ? (
				<div className="space-y-2">
					<p className="text-sm text-slate-600">
						{shown < report.errorCount
							? `Showing the first ${number(shown)} of ${number(report.errorCount)} errors.`
							: `${number(report.errorCount)} ${report.errorCount === 1 ? 'error' : 'errors'}:`}
						{!report.refused ? ' These lines were skipped.' : null}
					</p>
					<div className="max-h-[32rem] overflow-auto rounded border border-slate-200">
						<table className="w-full text-left text-sm">
							<caption className="sr-only">Invalid lines</caption>
							<thead className="sticky top-0 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
								<tr>
									<th scope="col" className="px-3 py-2">
										Line
									</th>
									<th scope="col" className="px-3 py-2">
										Field
									</th>
									<th scope="col" className="px-3 py-2">
										Problem
									</th>
								</tr>
							</thead>
							<tbody>
								{report.errors.map((error, index) => (
									<tr key={index} className="border-t border-slate-100 align-top">
										<td className="px-3 py-1.5 font-mono">{error.line === 0 ? 'file' : error.line}</td>
										<td className="px-3 py-1.5 font-mono text-xs">{error.path || '—'}</td>
										<td className="px-3 py-1.5 break-words">{error.message}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				</div>
			) : null}
		</section>
	)
}
