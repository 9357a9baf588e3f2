type Scale = { min: number; max: number; center: number }

function colorFor(value: number | null, { min, max, center }: Scale) {
	if (value === null) return 'transparent'
	if (value >= center) {
		const strength = max === center ? 0 : Math.min(1, (value - center) / (max - center))
		return `rgba(5, 150, 105, ${(0.08 + 0.72 * strength).toFixed(3)})`
	}
	const strength = min === center ? 0 : Math.min(1, (center - value) / (center - min))
	return `rgba(225, 29, 72, ${(0.08 + 0.72 * strength).toFixed(3)})`
}

/**
 * A heatmap as an HTML table, so screen readers and keyboard users get the numbers: green above
 * the centre of the scale, red below, stronger further from it. Empty cells have no value.
 */
export function Heatmap({
	caption,
	labels,
	values,
	scale,
	format = (value) => value.toFixed(2),
	describe,
	corner = '',
}: {
	caption: string
	labels: string[]
	values: (number | null)[][]
	scale: Scale
	format?: (value: number) => string
	describe?: (row: number, column: number, value: number) => string
	corner?: string
}) {
	return (
		<div className="overflow-x-auto">
			<table className="border-separate border-spacing-0.5 text-xs">
				<caption className="sr-only">{caption}</caption>
				<thead>
					<tr>
						{corner ? (
							<th scope="col" className="px-2 py-1 text-left font-medium text-slate-500">
								{corner}
							</th>
						) : (
							<td />
						)}
						{labels.map((label, j) => (
							<th
								key={j}
								scope="col"
								className="max-w-24 truncate px-1 py-1 text-left font-medium text-slate-600"
								title={label}
							>
								<span className="inline-block max-w-24 truncate align-bottom">{label}</span>
							</th>
						))}
					</tr>
				</thead>
				<tbody>
					{labels.map((label, i) => (
						<tr key={i}>
							<th
								scope="row"
								className="max-w-40 truncate whitespace-nowrap px-2 py-1 text-left font-medium text-slate-700"
								title={label}
							>
								{label}
							</th>
							{labels.map((_, j) => {
								const value = values[i]?.[j] ?? null
								return (
									<td
										key={j}
										className="h-8 min-w-12 rounded text-center tabular-nums text-slate-900"
										style={{ backgroundColor: i === j ? '#f1f5f9' : colorFor(value, scale) }}
										title={value === null || !describe ? undefined : describe(i, j, value)}
									>
										{i === j ? '' : value === null ? <span className="text-slate-300">·</span> : format(value)}
									</td>
								)
							})}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	)
}
