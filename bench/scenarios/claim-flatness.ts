// `next` latency on projects of about a million work units at 0%, 50% and 90% completion. A claim
// that walks past finished work gets slower as a project fills up; a flat one does not. The three
// projects live side by side in one database behind one server, and probes rotate between them,
// so a change in machine load hits all three alike. Each probe is one of the project's own
// annotators (with the work history the generator gave them) asking for work over HTTP; the lease
// it gets is deleted straight away so that probes do not change what they measure.
import pg from 'pg'
import { annotatorIds } from '../generate.ts'
import { createApiTokens } from '../util/auth.ts'
import { explainClaim, type ClaimPlan } from '../util/claim-sql.ts'
import { HttpClient } from '../util/http.ts'
import { progress } from '../util/log.ts'
import { startAppServer } from '../util/server.ts'
import { median, percentile, round } from '../util/stats.ts'
import type { LargeProject, Scenario } from './types.ts'

const FRACTIONS = [0, 0.5, 0.9] as const

type Level = { key: string; project: LargeProject; users: string[]; tokens: string[]; samples: number[][] }

export const claimFlatness: Scenario = {
	name: 'claimFlatness',
	description: 'next latency at 0%, 50% and 90% completion of large projects, with the claim query plans',
	async run(context) {
		const probes = context.quick ? 25 : 150
		const projects: LargeProject[] = []
		for (const fraction of FRACTIONS) projects.push(await context.largeProject({ fraction, fresh: true }))
		const databaseUrl = projects[0]!.databaseUrl
		const db = new pg.Client({ connectionString: databaseUrl })
		db.on('error', () => {})
		await db.connect()
		const server = await startAppServer({ databaseUrl })
		const client = new HttpClient(server.url, 1)
		try {
			const levels: Level[] = []
			for (const [index, project] of projects.entries()) {
				const users = await annotatorIds(db, project.fixture)
				const tokens = await createApiTokens(db, { userIds: users, idPrefix: `${project.fixture.seed}-probe` })
				levels.push({
					key: String(Math.round(FRACTIONS[index]! * 100)),
					project,
					users,
					tokens: tokens.map((t) => t.token),
					samples: [],
				})
			}
			const probe = async (level: Level, index: number) => {
				const response = await client.request({
					method: 'POST',
					path: `/api/v1/projects/${level.project.fixture.slug}/assignments/next`,
					headers: {
						Authorization: `Bearer ${level.tokens[index % level.tokens.length]}`,
						'Content-Type': 'application/json',
					},
					body: '{}',
				})
				if (response.status !== 200) throw new Error(`next answered ${response.status}: ${response.body.slice(0, 300)}`)
				const { lease } = JSON.parse(response.body) as { lease: { id: string } }
				await db.query('DELETE FROM leases WHERE id = $1', [lease.id])
				return response.ms
			}

			for (let i = 0; i < (context.quick ? 10 : 30); i++) for (const level of levels) await probe(level, i)
			for (let run = 0; run < context.runs; run++) {
				for (const level of levels) level.samples.push([])
				for (let i = 0; i < probes; i++) {
					// Rotate which level goes first, so none always follows the same neighbour.
					for (let k = 0; k < levels.length; k++) {
						const level = levels[(i + k) % levels.length]!
						level.samples[run]!.push(await probe(level, run * probes + i))
					}
				}
			}

			const byFraction: Record<string, unknown> = {}
			const p50: Record<string, number> = {}
			const plans: Record<string, ClaimPlan> = {}
			for (const level of levels) {
				// The plan for a typical annotator: one with work history in the project.
				const plan: ClaimPlan = await explainClaim(db, {
					projectId: level.project.fixture.projectId,
					userId: level.users[0]!,
					overlap: level.project.fixture.overlap,
				}).catch((error: unknown) => ({
					executionMs: Number.NaN,
					planningMs: Number.NaN,
					buffers: Number.NaN,
					itemRowsVisited: Number.NaN,
					itemsAccess: `EXPLAIN failed: ${String(error)}`,
					text: [],
				}))
				plans[level.key] = plan
				const { text, ...planFigures } = plan
				p50[level.key] = round(median(level.samples.map((samples) => percentile(samples, 50))))
				byFraction[level.key] = {
					p50Ms: p50[level.key],
					p99Ms: round(percentile(level.samples.flat(), 99)),
					runP50Ms: level.samples.map((samples) => round(percentile(samples, 50))),
					plan: planFigures,
					planText: text,
					generateSeconds: round(level.project.generateSeconds),
				}
				progress(
					`claimFlatness ${level.key}%: next p50 ${p50[level.key]} ms, claim SQL ${plan.executionMs} ms, ${plan.buffers} buffers, ${plan.itemRowsVisited} item rows visited`,
				)
			}
			const fixture = projects[0]!.fixture
			return {
				ratio: round(p50['90']! / p50['0']!),
				sqlRatio: round(plans['90']!.executionMs / Math.max(plans['0']!.executionMs, 0.001)),
				bufferRatio: round(plans['90']!.buffers / Math.max(plans['0']!.buffers, 1)),
				p50Ms: p50,
				completion: byFraction,
				workUnits: fixture.items * fixture.overlap,
				items: fixture.items,
				annotators: fixture.annotators,
				probesPerRun: probes,
				runs: context.runs,
			}
		} finally {
			client.close()
			await server.stop()
			await db.end().catch(() => {})
		}
	},
}
