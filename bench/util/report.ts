// Goals are reported, never asserted: the table says how far each figure is from its goal.

export type Goal = { figure: string; comparison: '>=' | '<='; target: number; unit: string }

export const GOALS: Goal[] = [
	{ figure: 'annotatorLoop.ratio', comparison: '>=', target: 0.5, unit: '' },
	{ figure: 'annotatorLoop.p99Ms', comparison: '<=', target: 50, unit: 'ms' },
	{ figure: 'claimFlatness.ratio', comparison: '<=', target: 1.5, unit: '' },
	{ figure: 'import.ratio', comparison: '>=', target: 0.5, unit: '' },
	{ figure: 'export.ratio', comparison: '>=', target: 0.5, unit: '' },
	{ figure: 'export.peakRssMb', comparison: '<=', target: 256, unit: 'MB' },
	{ figure: 'agreement.seconds', comparison: '<=', target: 2, unit: 's' },
	{ figure: 'adaptive.dsSeconds1M', comparison: '<=', target: 5, unit: 's' },
	{ figure: 'agreement.btBootstrapSeconds', comparison: '<=', target: 1, unit: 's' },
	{ figure: 'arena.battleRatio', comparison: '<=', target: 0.75, unit: '' },
	{ figure: 'arena.styleRecovered', comparison: '>=', target: 1, unit: '' },
	{ figure: 'adaptive.judgmentRatio', comparison: '<=', target: 0.6, unit: '' },
	{ figure: 'adaptive.accuracyDelta', comparison: '>=', target: 0, unit: '' },
	{ figure: 'page.jsGzipKb', comparison: '<=', target: 150, unit: 'KB' },
	{ figure: 'page.submitToNextMs', comparison: '<=', target: 50, unit: 'ms' },
	{ figure: 'generate.ratio', comparison: '>=', target: 0.5, unit: '' },
]

export type GoalStatus = Goal & { value: number | null; met: boolean | null; distance: string }

function lookup(results: Record<string, unknown>, figure: string): unknown {
	return figure
		.split('.')
		.reduce<unknown>(
			(value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
			results,
		)
}

export function goalStatus(results: Record<string, unknown>): GoalStatus[] {
	return GOALS.map((goal) => {
		const found = lookup(results, goal.figure)
		// A yes/no figure counts as 1 or 0 against a goal of 1.
		const raw = typeof found === 'boolean' ? Number(found) : found
		const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null
		if (value === null) return { ...goal, value, met: null, distance: 'not measured' }
		const met = goal.comparison === '>=' ? value >= goal.target : value <= goal.target
		if (typeof found === 'boolean') return { ...goal, value, met, distance: met ? 'met' : 'missed' }
		// A difference has no factor to its goal of zero.
		if (goal.target === 0) return { ...goal, value, met, distance: met ? 'met' : 'missed' }
		// How far: the factor between figure and goal, on the side that matters.
		const factor = goal.comparison === '>=' ? value / goal.target : goal.target / value
		const times = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(2))
		const distance = met ? `met (${times(factor)}× headroom)` : `missed (${times(1 / factor)}× short)`
		return { ...goal, value, met, distance }
	})
}

function cell(value: unknown): string {
	if (value === null || value === undefined) return '—'
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'n/a'
	return String(value)
}

export function table(headers: string[], rows: unknown[][]) {
	const text = rows.map((row) => row.map(cell))
	const widths = headers.map((header, column) => Math.max(header.length, ...text.map((row) => row[column]!.length)))
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
	return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...text.map(line)].join('\n')
}

/** Headline figures of each scenario for the readable report. */
const HEADLINES: Record<string, { key: string; label: string }[]> = {
	annotatorLoop: [
		{ key: 'appLoopsPerSec', label: 'app loops/s' },
		{ key: 'pgbenchLoopsPerSec', label: 'pgbench loops/s' },
		{ key: 'ratio', label: 'ratio' },
		{ key: 'p99Ms', label: 'p99 ms at the highest concurrency' },
		{ key: 'scaleOut.ratio', label: '2 processes ÷ 1' },
		{ key: 'scaleOut.cpus', label: 'CPUs' },
	],
	claimFlatness: [
		{ key: 'p50Ms.0', label: 'next p50 ms at 0%' },
		{ key: 'p50Ms.50', label: 'at 50%' },
		{ key: 'p50Ms.90', label: 'at 90%' },
		{ key: 'ratio', label: 'ratio 90%/0%' },
	],
	import: [
		{ key: 'appItemsPerSec', label: 'API items/s' },
		{ key: 'copyRowsPerSec', label: 'psql \\copy rows/s' },
		{ key: 'ratio', label: 'ratio' },
		{ key: 'peakRssMb', label: 'server peak RSS MB' },
	],
	export: [
		{ key: 'workerRowsPerSec', label: 'worker rows/s' },
		{ key: 'copyRowsPerSec', label: 'COPY rows/s' },
		{ key: 'ratio', label: 'ratio' },
		{ key: 'peakRssMb', label: 'worker peak RSS MB' },
	],
	agreement: [
		{ key: 'seconds', label: 'alpha s' },
		{ key: 'btBootstrapSeconds', label: 'Bradley–Terry + 100 bootstrap s' },
		{ key: 'loadSeconds', label: 'load s' },
		{ key: 'peakRssMb', label: 'peak RSS MB' },
	],
	adaptive: [
		{ key: 'dsSeconds1M', label: 'Dawid–Skene 1M s' },
		{ key: 'dsCpuSeconds', label: 'CPU s' },
		{ key: 'iterations', label: 'rounds' },
		{ key: 'dsAccuracy', label: 'DS accuracy' },
		{ key: 'majorityAccuracy', label: 'majority accuracy' },
		{ key: 'judgmentRatio', label: 'adaptive ÷ fixed-5 judgments' },
		{ key: 'accuracyDelta', label: 'adaptive DS − fixed-5 majority' },
	],
	arena: [
		{ key: 'battleRatio', label: 'active/uniform battles' },
		{ key: 'uniformBattles', label: 'uniform battles' },
		{ key: 'activeBattles', label: 'active battles' },
		{ key: 'activeSpearman', label: 'active ρ' },
		{ key: 'styleRecovered', label: 'style recovered' },
	],
	page: [
		{ key: 'jsGzipKb', label: 'JS gzip KB' },
		{ key: 'submitToNextMs', label: 'submit → next ms' },
	],
	generate: [
		{ key: 'workerResponsesPerSec', label: 'worker responses/s' },
		{ key: 'bareResponsesPerSec', label: 'bare loop responses/s' },
		{ key: 'ratio', label: 'ratio' },
		{ key: 'workerPeakRssMb', label: 'worker peak RSS MB' },
	],
}

export function readableReport(results: Record<string, unknown>, command: string) {
	const out: string[] = []
	out.push(`Command: ${command}`)
	const machine = Object.values(results).find((value) => value && typeof value === 'object' && 'machine' in value) as
		{ machine?: Record<string, unknown> } | undefined
	if (machine?.machine) {
		const m = machine.machine
		out.push(`Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, PostgreSQL ${m.postgres}, Node ${m.node}`)
	}
	out.push('')
	out.push('Goals')
	out.push(
		table(
			['figure', 'goal', 'value', 'status'],
			goalStatus(results).map((goal) => [
				goal.figure,
				`${goal.comparison} ${goal.target}${goal.unit ? ` ${goal.unit}` : ''}`,
				goal.value,
				goal.distance,
			]),
		),
	)
	out.push('')
	out.push('Scenarios')
	const rows: unknown[][] = []
	for (const [name, value] of Object.entries(results)) {
		const result = value as Record<string, unknown>
		if ('skipped' in result) {
			rows.push([name, `skipped: ${result.skipped}`, ''])
			continue
		}
		if ('error' in result) {
			rows.push([name, `crashed: ${String(result.error).split('\n')[0]}`, ''])
			continue
		}
		const figures = (HEADLINES[name] ?? []).map(({ key, label }) => `${label} ${cell(lookup(result, key))}`)
		const load = (result.machine as { loadAverage?: number } | undefined)?.loadAverage
		rows.push([name, figures.join(', '), load ?? ''])
	}
	out.push(table(['scenario', 'figures (medians)', 'load avg'], rows))
	return out.join('\n')
}
