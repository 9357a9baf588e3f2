// `npm run bench`: every hot path measured beside its own ceiling, in one run on one machine.
// Goals are reported, not asserted: the exit code is non-zero only when a scenario crashes.
import { readFile } from 'node:fs/promises'
import { Command } from 'commander'
import pg from 'pg'
import { advanceTo, createFixture, settle, type ProjectFixture } from './generate.ts'
import { adaptive } from './scenarios/adaptive.ts'
import { agreement } from './scenarios/agreement.ts'
import { annotatorLoop } from './scenarios/annotator-loop.ts'
import { arena } from './scenarios/arena.ts'
import { claimFlatness } from './scenarios/claim-flatness.ts'
import { exportScenario } from './scenarios/export.ts'
import { generateScenario } from './scenarios/generate.ts'
import { importScenario } from './scenarios/import.ts'
import { page } from './scenarios/page.ts'
import { SkipScenario, type LargeProject, type Scenario, type ScenarioContext } from './scenarios/types.ts'
import { openBenchServer } from './util/db.ts'
import { progress } from './util/log.ts'
import { machine } from './util/machine.ts'
import { killTrackedChildren } from './util/proc.ts'
import { readableReport } from './util/report.ts'
import { ensureBuild } from './util/server.ts'
import { seconds } from './util/stats.ts'

process.env.LOG_LEVEL ??= 'warn'

const scenarios: Scenario[] = [
	annotatorLoop,
	claimFlatness,
	importScenario,
	exportScenario,
	agreement,
	adaptive,
	arena,
	page,
	generateScenario,
]

type Options = { json: boolean; quick: boolean; only?: string; runs?: number; rebuild: boolean; report?: string }

const program = new Command()
	.name('bench')
	.description('Quorum benchmarks: each hot path beside its reference ceiling, medians of several runs.')
	.option('--json', 'print one JSON object instead of the table', false)
	.option('--quick', 'small sizes, for a smoke run in under a minute', false)
	.option('--only <names>', `comma-separated scenarios: ${scenarios.map((s) => s.name).join(', ')}`)
	.option('--runs <n>', 'repetitions per measurement (default 3, quick 2)', (value) => Number.parseInt(value, 10))
	.option('--rebuild', `rebuild the production app even when QUORUM_BUILD_DIR holds a build`, false)
	.option('--report <file>', 'print the table for a saved --json result instead of running')
	.parse()
const options = program.opts<Options>()

if (options.report) {
	const text = await readFile(options.report, 'utf8')
	const saved = JSON.parse(text.slice(text.indexOf('{'))) as Record<string, unknown>
	process.stdout.write(`${readableReport(saved, `npm run bench -- --report ${options.report}`)}\n`)
	process.exit(0)
}

const selected = options.only
	? options.only.split(',').map((name) => {
			const scenario = scenarios.find((s) => s.name.toLowerCase() === name.trim().toLowerCase())
			if (!scenario)
				program.error(`Unknown scenario "${name}". Choose from ${scenarios.map((s) => s.name).join(', ')}.`)
			return scenario
		})
	: scenarios
const ordered = scenarios.filter((scenario) => selected.includes(scenario))

const started = process.hrtime.bigint()
const postgres = await openBenchServer()
let interrupted = false
const cleanup = async () => {
	await postgres.close().catch((error: unknown) => progress(`cleanup failed: ${String(error)}`))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		interrupted = true
		killTrackedChildren()
		progress(`${signal}: dropping the benchmark databases`)
		void cleanup().finally(() => process.exit(130))
	})
}

// The large projects share one database (one server serves them all); requests are serialized.
const largeItems = options.quick ? 6_667 : 333_334 // × overlap 3 ≈ 20 thousand (quick) or a million work units
let largeDatabase: Promise<{ databaseUrl: string; client: pg.Client }> | undefined
const largeFixtures: { fixture: ProjectFixture; fraction: number }[] = []
let largeQueue: Promise<unknown> = Promise.resolve()

function openLargeDatabase() {
	largeDatabase ??= (async () => {
		const databaseUrl = await postgres.createDatabase('large')
		const client = new pg.Client({ connectionString: databaseUrl })
		client.on('error', () => {})
		await client.connect()
		return { databaseUrl, client }
	})()
	return largeDatabase
}

async function largeProject({ fraction, fresh = false }: { fraction: number; fresh?: boolean }): Promise<LargeProject> {
	const { databaseUrl, client } = await openLargeDatabase()
	const begin = process.hrtime.bigint()
	let entry = fresh
		? undefined
		: largeFixtures.filter((candidate) => candidate.fraction <= fraction).sort((a, b) => b.fraction - a.fraction)[0]
	let changed = false
	if (!entry) {
		changed = true
		const seed = `large${largeFixtures.length + 1}`
		progress(
			`generating a large project: ${largeItems.toLocaleString('en-US')} items × 3 = ${(largeItems * 3).toLocaleString('en-US')} work units, ${Math.round(fraction * 100)}% judged`,
		)
		entry = { fixture: await createFixture(client, { seed, items: largeItems, annotators: 100 }), fraction: 0 }
		largeFixtures.push(entry)
	}
	if (fraction > entry.fraction) {
		changed = true
		await advanceTo(client, entry.fixture, fraction)
		entry.fraction = fraction
	}
	if (changed) await settle(client)
	const generateSeconds = seconds(begin)
	progress(
		`large project ${entry.fixture.slug} ready at ${Math.round(fraction * 100)}% in ${generateSeconds.toFixed(1)}s`,
	)
	return { databaseUrl, fixture: entry.fixture, generateSeconds }
}

const quick = options.quick
const context: ScenarioContext = {
	quick,
	runs: options.runs && options.runs > 0 ? options.runs : quick ? 2 : 3,
	postgres,
	rebuild: options.rebuild,
	machine: () => machine(postgres.postgresVersion),
	largeProject(request) {
		const next = largeQueue.then(() => largeProject(request))
		largeQueue = next.catch(() => {})
		return next
	},
}

const results: Record<string, unknown> = {}
let crashed = 0
if (
	ordered.some(
		(scenario) =>
			scenario.name === 'annotatorLoop' ||
			scenario.name === 'claimFlatness' ||
			scenario.name === 'import' ||
			scenario.name === 'page',
	)
) {
	await ensureBuild({ force: options.rebuild }).catch((error: unknown) => progress(`build failed: ${String(error)}`))
}
try {
	for (const scenario of ordered) {
		if (interrupted) break
		progress(`${scenario.name}: ${scenario.description}`)
		const begin = process.hrtime.bigint()
		try {
			const figures = await scenario.run(context)
			results[scenario.name] = { ...figures, machine: context.machine(), wallSeconds: Math.round(seconds(begin)) }
		} catch (error) {
			if (error instanceof SkipScenario) {
				results[scenario.name] = { skipped: error.message, machine: context.machine() }
				progress(`${scenario.name} skipped: ${error.message}`)
			} else {
				crashed++
				const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
				results[scenario.name] = {
					error: error instanceof Error ? error.message : String(error),
					machine: context.machine(),
				}
				progress(`${scenario.name} crashed: ${message}`)
			}
		}
	}
} finally {
	if (largeDatabase) await (await largeDatabase.catch(() => null))?.client.end().catch(() => {})
	await cleanup()
}

const command = `npm run bench --${options.quick ? ' --quick' : ''}${options.json ? ' --json' : ''}${options.only ? ` --only ${options.only}` : ''}`
progress(`finished in ${seconds(started).toFixed(0)}s`)
if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
else process.stdout.write(`${readableReport(results, command)}\n`)
process.exitCode = crashed > 0 ? 1 : 0
