// Active against uniform pair selection on a simulated arena (bench/arena-simulation.ts): battles
// until the mean 95% interval is under 40 Elo, the rank correlation with the planted ratings
// there, and whether style and position control recover the planted effects. One seed per run.
import { progress } from '../util/log.ts'
import { median, round } from '../util/stats.ts'
import { optimalBattleRatio } from '../arena-bound.ts'
import { ARENA_SETUP, plantedRatings, simulateArena, styleRecovery } from '../arena-simulation.ts'
import type { Scenario } from './types.ts'

export const arena: Scenario = {
	name: 'arena',
	description: 'Simulated arena: active vs uniform pair policy to a 40 Elo mean interval, and style/position recovery',
	async run(context) {
		const runs = Math.max(context.runs, 3)
		const seeds = Array.from({ length: runs }, (_, i) => i + 1)
		const results = seeds.map((seed) => {
			const started = process.hrtime.bigint()
			const uniform = simulateArena({ policy: 'uniform', seed })
			const active = simulateArena({ policy: 'active', seed })
			const recovery = styleRecovery({ run: active, seed })
			const seconds = Number(process.hrtime.bigint() - started) / 1e9
			progress(
				`arena seed ${seed}: uniform ${uniform.battles} battles (ρ ${uniform.spearman.toFixed(3)}), active ${active.battles} (ρ ${active.spearman.toFixed(3)}), ratio ${(active.battles / uniform.battles).toFixed(3)}, style recovered ${recovery.recovered}, ${seconds.toFixed(1)}s`,
			)
			return { seed, uniform, active, recovery }
		})
		return {
			battleRatio: round(median(results.map((r) => r.active.battles / r.uniform.battles))),
			styleRecovered: results.every((r) => r.recovery.recovered),
			// The best ratio any pair policy could reach here, knowing the true ratings (bench/arena-bound.ts).
			optimalRatio: round(optimalBattleRatio({ ratings: plantedRatings() }).ratio),
			uniformBattles: median(results.map((r) => r.uniform.battles)),
			activeBattles: median(results.map((r) => r.active.battles)),
			uniformSpearman: round(median(results.map((r) => r.uniform.spearman))),
			activeSpearman: round(median(results.map((r) => r.active.spearman))),
			setup: ARENA_SETUP,
			engine: 'in process: the pair policy and the statistics the product uses, not yet through the claim',
			runs: results.map((r) => ({
				seed: r.seed,
				uniform: r.uniform.battles,
				active: r.active.battles,
				reached: r.uniform.reached && r.active.reached,
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
