// Active against uniform pair selection in arena projects: battles until the leaderboard's mean
// 95% interval is under 40 Elo, through the real claim and submit (bench/children/arena-engine.ts:
// the pair is chosen inside quorum_claim_next, the active weights are refreshed by the analytics
// refresh), the rank correlation with the planted ratings there, and whether style and position
// control recover the planted effects. The same rule is also run in process on ten seeds
// (bench/arena-simulation.ts) for a steadier ratio, beside the best ratio any pair policy could
// reach on this setup (bench/arena-bound.ts).
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { withClient } from '../util/db.ts'
import { quoteIdentifier } from '#prisma/pg-url.ts'
import { progress } from '../util/log.ts'
import { run } from '../util/proc.ts'
import { median, round } from '../util/stats.ts'
import { optimalBattleRatio } from '../arena-bound.ts'
import { ARENA_SETUP, plantedRatings, simulateArena, styleRecovery, type ArenaRun } from '../arena-simulation.ts'
import type { Scenario } from './types.ts'

type EngineRun = ArenaRun & { refreshes: number; loopSeconds: number; leasedBattles: number }

async function engineRun(databaseUrl: string, policy: 'uniform' | 'active', seed: number, targetWidth: number) {
	const battlesFile = path.join(tmpdir(), `quorum-arena-${process.pid}-${policy}-${seed}.json`)
	const result = await run(
		process.execPath,
		['--import', 'tsx', 'bench/children/arena-engine.ts', policy, String(seed), String(targetWidth), battlesFile],
		{
			env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
			timeoutMs: 30 * 60_000,
		},
	)
	const last = result.stdout.trim().split('\n').at(-1) ?? ''
	if (result.code !== 0 || !last.startsWith('{'))
		throw new Error(`the ${policy} arena (seed ${seed}) failed (code ${result.code}): ${result.stderr.slice(-2000)}`)
	const parsed = JSON.parse(last) as Omit<EngineRun, 'data'>
	const data = JSON.parse(readFileSync(battlesFile, 'utf8')) as EngineRun['data']
	rmSync(battlesFile, { force: true })
	return { ...parsed, data, truth: plantedRatings() }
}

export const arena: Scenario = {
	name: 'arena',
	description:
		'Arena projects: active vs uniform pair policy through the claim to a 40 Elo mean interval, and style/position recovery',
	async run(context) {
		const seeds = Array.from({ length: context.quick ? 1 : Math.max(context.runs, 3) }, (_, i) => i + 1)
		// A quick run is a smoke test: a wider target needs a fraction of the battles.
		const targetWidth = context.quick ? 100 : ARENA_SETUP.targetWidth
		const databaseUrl = await context.postgres.createDatabase('arena')
		// The figures are battle counts, not speed: spare the simulation a disk flush per commit.
		await withClient(databaseUrl, async (client) => {
			const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name')
			await client.query(`ALTER DATABASE ${quoteIdentifier(rows[0]!.name)} SET synchronous_commit = off`)
		})
		const results = []
		for (const seed of seeds) {
			const [uniform, active] = await Promise.all([
				engineRun(databaseUrl, 'uniform', seed, targetWidth),
				engineRun(databaseUrl, 'active', seed, targetWidth),
			])
			const recovery = styleRecovery({ run: active, seed })
			progress(
				`arena seed ${seed} (claim and submit): uniform ${uniform.battles} battles (ρ ${uniform.spearman.toFixed(3)}), active ${active.battles} (ρ ${active.spearman.toFixed(3)}, ${active.refreshes} refreshes), ratio ${(active.battles / uniform.battles).toFixed(3)}, style recovered ${recovery.recovered}, ${Math.max(uniform.loopSeconds, active.loopSeconds).toFixed(0)}s`,
			)
			results.push({ seed, uniform, active, recovery })
		}
		await context.postgres.dropDatabase(databaseUrl)

		const simulated = Array.from({ length: context.quick ? 2 : 10 }, (_, i) => {
			const seed = 101 + i
			const setup = { ...ARENA_SETUP, targetWidth }
			return (
				simulateArena({ policy: 'active', seed, setup }).battles /
				simulateArena({ policy: 'uniform', seed, setup }).battles
			)
		})
		const optimalRatio = round(optimalBattleRatio({ ratings: plantedRatings() }).ratio)
		progress(
			`arena in process: median ratio ${median(simulated).toFixed(3)} over ${simulated.length} seeds; the best any policy could reach here: ${optimalRatio}`,
		)
		return {
			battleRatio: round(median(results.map((r) => r.active.battles / r.uniform.battles))),
			styleRecovered: results.every((r) => r.recovery.recovered),
			optimalRatio,
			inProcessRatio: round(median(simulated)),
			uniformBattles: median(results.map((r) => r.uniform.battles)),
			activeBattles: median(results.map((r) => r.active.battles)),
			uniformSpearman: round(median(results.map((r) => r.uniform.spearman))),
			activeSpearman: round(median(results.map((r) => r.active.spearman))),
			setup: { ...ARENA_SETUP, targetWidth },
			engine: 'comparison projects through claimNext and submitJudgment; active weights from the analytics refresh',
			runs: results.map((r) => ({
				seed: r.seed,
				uniform: r.uniform.battles,
				active: r.active.battles,
				reached: r.uniform.reached && r.active.reached,
				refreshes: r.active.refreshes,
				length: {
					truth: round(r.recovery.length.truth),
					value: round(r.recovery.length.value ?? Number.NaN),
					ciLow: round(r.recovery.length.ciLow ?? Number.NaN),
					ciHigh: round(r.recovery.length.ciHigh ?? Number.NaN),
				},
				position: {
					truth: round(r.recovery.position.truth),
					value: round(r.recovery.position.value ?? Number.NaN),
					ciLow: round(r.recovery.position.ciLow ?? Number.NaN),
					ciHigh: round(r.recovery.position.ciHigh ?? Number.NaN),
				},
			})),
		}
	},
}
