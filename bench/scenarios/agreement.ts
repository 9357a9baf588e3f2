// Krippendorff's alpha and the Bradley–Terry leaderboard (100 bootstrap rounds) on the large
// project's million judgments, each run in a fresh child process that reports its own peak memory.
// Then, once, the full analytics refresh the worker runs (every figure, with bootstrap intervals).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { progress } from '../util/log.ts'
import { run } from '../util/proc.ts'
import { median, round } from '../util/stats.ts'
import type { Scenario } from './types.ts'

type StatsChild = {
	judgments: number
	loadSeconds: number
	alphaSeconds: number
	alphaIntervalSeconds: number
	leaderboardSeconds: number
	alphaNominal: number
	alphaInterval: number
	units: number
	models: number
	peakRssMb: number | null
}
type RefreshChild = { refreshSeconds: number; judgments: number; peakRssMb: number | null }

async function child<T>(mode: 'stats' | 'refresh', databaseUrl: string, projectId: string): Promise<T> {
	const result = await run(process.execPath, ['--import', 'tsx', 'bench/children/agreement.ts', mode, projectId], {
		env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
		timeoutMs: 20 * 60_000,
	})
	const last = result.stdout.trim().split('\n').at(-1) ?? ''
	if (result.code !== 0 || !last.startsWith('{'))
		throw new Error(`the agreement child (${mode}) failed (code ${result.code}): ${result.stderr.slice(-2000)}`)
	return JSON.parse(last) as T
}

export const agreement: Scenario = {
	name: 'agreement',
	description: "Krippendorff's alpha and Bradley–Terry with 100 bootstrap rounds on the large project's judgments",
	async run(context) {
		const large = await context.largeProject({ fraction: 1 })
		const { databaseUrl, fixture } = large
		const runs: StatsChild[] = []
		for (let index = 0; index < context.runs; index++) {
			const result = await child<StatsChild>('stats', databaseUrl, fixture.projectId)
			runs.push(result)
			progress(
				`agreement run ${index + 1}/${context.runs}: load ${result.loadSeconds.toFixed(2)}s, alpha ${result.alphaSeconds.toFixed(3)}s, Bradley–Terry ${result.leaderboardSeconds.toFixed(2)}s, peak ${result.peakRssMb} MB`,
			)
		}
		let refresh: RefreshChild | { skipped: string }
		if (existsSync(path.resolve('app/modules/analytics/refresh-project-analytics.server.ts'))) {
			refresh = await child<RefreshChild>('refresh', databaseUrl, fixture.projectId).catch((error: unknown) => ({
				skipped: `failed: ${String(error).slice(0, 300)}`,
			}))
			if ('refreshSeconds' in refresh)
				progress(`analytics refresh: ${refresh.refreshSeconds.toFixed(1)}s, peak ${refresh.peakRssMb} MB`)
		} else {
			refresh = { skipped: 'app/modules/analytics/refresh-project-analytics.server.ts is not there yet' }
		}
		const first = runs[0]!
		return {
			seconds: round(median(runs.map((r) => r.alphaSeconds))),
			peakRssMb: Math.max(...runs.map((r) => r.peakRssMb ?? 0)),
			alphaIntervalSeconds: round(median(runs.map((r) => r.alphaIntervalSeconds))),
			btBootstrapSeconds: round(median(runs.map((r) => r.leaderboardSeconds))),
			loadSeconds: round(median(runs.map((r) => r.loadSeconds))),
			judgments: first.judgments,
			units: first.units,
			models: first.models,
			alphaNominal: round(first.alphaNominal, 4),
			alphaInterval: round(first.alphaInterval, 4),
			analyticsRefresh:
				'refreshSeconds' in refresh
					? { seconds: round(refresh.refreshSeconds), peakRssMb: refresh.peakRssMb, judgments: refresh.judgments }
					: refresh,
			runs: runs.map((r) => ({
				alpha: round(r.alphaSeconds),
				leaderboard: round(r.leaderboardSeconds),
				load: round(r.loadSeconds),
				peakRssMb: r.peakRssMb,
			})),
		}
	},
}
