import type { ProjectFixture } from '../generate.ts'
import type { BenchServer } from '../util/db.ts'
import type { Machine } from '../util/machine.ts'

export type ScenarioResult = Record<string, unknown>

/** A project of about a million work units in the shared large database. */
export type LargeProject = {
	databaseUrl: string
	fixture: ProjectFixture
	/** Seconds spent generating (or advancing) it for this request. */
	generateSeconds: number
}

export type ScenarioContext = {
	quick: boolean
	/** Repetitions whose median is reported. */
	runs: number
	postgres: BenchServer
	machine(): Machine
	/**
	 * A large project judged to `fraction`. With `fresh`, a new one; otherwise the most complete
	 * one not past `fraction` is judged further (projects only ever advance).
	 */
	largeProject(options: { fraction: number; fresh?: boolean }): Promise<LargeProject>
	rebuild: boolean
}

export type Scenario = {
	name: string
	description: string
	run(context: ScenarioContext): Promise<ScenarioResult>
}

/** A scenario that cannot run yet reports why instead of numbers. */
export class SkipScenario extends Error {
	override name = 'SkipScenario'
}
