// Dawid–Skene on a million judgments (333,334 pairwise units × 3, four outcomes, a seeded team
// of 30 simulated annotators), each run in a fresh child process that reports its own peak
// memory. Then the adaptive-overlap simulation (bench/children/adaptive-overlap.ts): a seeded team
// labels 2,000 pairwise items with known answers through the real claim and submit code, under
// fixed overlap 3, fixed overlap 5 and adaptive (min 2, max 5, confidence 0.9), each policy in its
// own child and project, the three at once. The team and the truths are seeded; the order each
// item's responses are shown in is drawn by Postgres (the claim's random()), and the position-biased
// annotators answer by it, so the figures move by a percent or two between runs.
import { quoteIdentifier } from '#prisma/pg-url.ts'
import { withClient } from '../util/db.ts'
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

type PolicyRun = {
	policy: string
	items: number
	judgments: number
	perItemMean: number
	histogram: Record<string, number>
	majorityAccuracy: number
	dsAccuracy: number
	refreshes: number
	reopened: number
	loopSeconds: number
	seconds: number
}

const POLICIES = ['fixed-3', 'fixed-5', 'adaptive'] as const

async function simulate(databaseUrl: string, items: number, policy: string): Promise<PolicyRun> {
	const result = await run(
		process.execPath,
		['--import', 'tsx', 'bench/children/adaptive-overlap.ts', String(items), policy],
		{
			env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
			timeoutMs: 30 * 60_000,
		},
	)
	const last = result.stdout.trim().split('\n').at(-1) ?? ''
	if (result.code !== 0 || !last.startsWith('{'))
		throw new Error(`the ${policy} simulation failed (code ${result.code}): ${result.stderr.slice(-2000)}`)
	return JSON.parse(last) as PolicyRun
}

async function child(units: number): Promise<DawidSkeneChild> {
	const result = await run(process.execPath, ['--import', 'tsx', 'bench/children/dawid-skene.ts', String(units)], {
		env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
		timeoutMs: 10 * 60_000,
	})
	const last = result.stdout.trim().split('\n').at(-1) ?? ''
	if (result.code !== 0 || !last.startsWith('{'))
		throw new Error(`the Dawid–Skene child failed (code ${result.code}): ${result.stderr.slice(-2000)}`)
	return JSON.parse(last) as DawidSkeneChild
}

export const adaptive: Scenario = {
	name: 'adaptive',
	description:
		'Dawid–Skene on a million simulated judgments; adaptive against fixed overlap through the real claim and submit',
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

		const items = context.quick ? 300 : 2_000
		const databaseUrl = await context.postgres.createDatabase('adaptive')
		// The figures are judgment counts and accuracies, not speed: spare the simulation a disk flush per commit.
		await withClient(databaseUrl, async (client) => {
			const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name')
			await client.query(`ALTER DATABASE ${quoteIdentifier(rows[0]!.name)} SET synchronous_commit = off`)
		})
		progress(
			`adaptive overlap: ${items.toLocaleString('en-US')} items under ${POLICIES.join(', ')}, through claimNext and submitJudgment`,
		)
		const simulated = await Promise.all(POLICIES.map((policy) => simulate(databaseUrl, items, policy)))
		await context.postgres.dropDatabase(databaseUrl)
		const by = Object.fromEntries(simulated.map((r) => [r.policy, r])) as Record<(typeof POLICIES)[number], PolicyRun>
		for (const r of simulated) {
			progress(
				`${r.policy}: ${r.judgments.toLocaleString('en-US')} judgments (${r.perItemMean.toFixed(2)}/item), majority ${(r.majorityAccuracy * 100).toFixed(1)}%, Dawid–Skene ${(r.dsAccuracy * 100).toFixed(1)}%, ${r.loopSeconds.toFixed(0)}s`,
			)
		}
		const policies = Object.fromEntries(
			simulated.map((r) => [
				r.policy,
				{
					judgments: r.judgments,
					perItemMean: round(r.perItemMean, 3),
					histogram: r.histogram,
					majorityAccuracy: round(r.majorityAccuracy, 4),
					dsAccuracy: round(r.dsAccuracy, 4),
					refreshes: r.refreshes,
					reopened: r.reopened,
					seconds: round(r.loopSeconds),
				},
			]),
		)
		return {
			judgmentRatio: round(by.adaptive.judgments / by['fixed-5'].judgments, 4),
			accuracyDelta: round(by.adaptive.dsAccuracy - by['fixed-5'].majorityAccuracy, 4),
			simulatedItems: items,
			policies,
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
			runs: runs.map((r) => ({
				seconds: round(r.dsSeconds),
				cpuSeconds: round(r.dsCpuSeconds),
				peakRssMb: r.peakRssMb,
			})),
		}
	},
}
