// Dawid–Skene on a million judgments (333,334 pairwise units × 3, four outcomes, a seeded team
// of 30 simulated annotators), each run in a fresh child process that reports its own peak
// memory. The adaptive-overlap simulation against the real claim and submit code joins it here.
import { progress } from '../util/log.ts'
import { run } from '../util/proc.ts'
import { median, round } from '../util/stats.ts'
import type { Scenario } from './types.ts'

type DawidSkeneChild = {
	judgments: number
	units: number
	annotators: number
	dsSeconds: number
	dsCpuSeconds: number
	iterations: number
	converged: boolean
	dsAccuracy: number
	majorityAccuracy: number
	peakRssMb: number | null
}

async function child(units: number): Promise<DawidSkeneChild> {
	const result = await run(process.execPath, ['--import', 'tsx', 'bench/children/dawid-skene.ts', String(units)], {
		env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
		timeoutMs: 10 * 60_000,
	})
	const last = result.stdout.trim().split('\n').at(-1) ?? ''
	if (result.code !== 0 || !last.startsWith('{')) throw new Error(`the Dawid–Skene child failed (code ${result.code}): ${result.stderr.slice(-2000)}`)
	return JSON.parse(last) as DawidSkeneChild
}

export const adaptive: Scenario = {
	name: 'adaptive',
	description: 'Dawid–Skene consensus on a million simulated pairwise judgments',
	async run(context) {
		const units = context.quick ? 6_667 : 333_334
		const runs: DawidSkeneChild[] = []
		for (let index = 0; index < context.runs; index++) {
			const result = await child(units)
			runs.push(result)
			progress(
				`Dawid–Skene run ${index + 1}/${context.runs}: ${result.judgments.toLocaleString('en-US')} judgments, ${result.iterations} rounds in ${result.dsSeconds.toFixed(2)}s (CPU ${result.dsCpuSeconds.toFixed(2)}s), peak ${result.peakRssMb} MB`,
			)
		}
		const first = runs[0]!
		const dsSeconds = round(median(runs.map((r) => r.dsSeconds)))
		return {
			// The goal's figure is named for the full size; a quick run reports its own size only.
			...(context.quick ? { dsSeconds } : { dsSeconds1M: dsSeconds }),
			dsCpuSeconds: round(median(runs.map((r) => r.dsCpuSeconds))),
			judgments: first.judgments,
			units: first.units,
			annotators: first.annotators,
			iterations: first.iterations,
			converged: first.converged,
			dsAccuracy: round(first.dsAccuracy, 4),
			majorityAccuracy: round(first.majorityAccuracy, 4),
			peakRssMb: Math.max(...runs.map((r) => r.peakRssMb ?? 0)),
			runs: runs.map((r) => ({ seconds: round(r.dsSeconds), cpuSeconds: round(r.dsCpuSeconds), peakRssMb: r.peakRssMb })),
		}
	},
}
