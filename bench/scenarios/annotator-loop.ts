// Virtual annotators loop over HTTP against the production server, as the workspace and the API
// clients do: one `judgment` request with `"next": true` per item, which stores the judgment and
// leases the next item (`next` only to start). Beside them, pgbench runs the least SQL the same loop
// needs. Phases alternate (app, pgbench, app, ...), so both sides see the same machine load and the
// same state of the queue. A last phase puts two server processes behind the load generator.
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import pg from 'pg'
import { annotatorIds, createFixture, settle } from '../generate.ts'
import { createApiTokens } from '../util/auth.ts'
import { HttpClient } from '../util/http.ts'
import { progress } from '../util/log.ts'
import { pgbench, type PgbenchResult } from '../util/pgbench.ts'
import { cpuMs } from '../util/proc.ts'
import { startAppServer, type AppServer } from '../util/server.ts'
import { latencySummary, median, round } from '../util/stats.ts'
import type { Scenario } from './types.ts'

/**
 * The ceiling: what a hand-written client would send for one loop, one statement per step and no
 * explicit transactions (each write is one atomic statement). Token check, project and membership,
 * an open lease to resume, the claim (SKIP LOCKED, the same candidate rule as the app) inserting
 * the lease, the item read; then the token check again and one statement that closes the lease,
 * counts the judgment on the item and inserts the judgment with its first revision.
 */
export const LOOP_SQL = `
SELECT t.user_id AS uid, t.secret_hash FROM api_tokens t JOIN users u ON u.id = t.user_id
	WHERE t.id = 'pgb' || :client_id AND t.revoked_at IS NULL AND u.disabled_at IS NULL \\gset
SELECT p.id AS pid, p.overlap AS overlap, p.lease_seconds AS lease_seconds,
	(SELECT coalesce(max(g.version), 0) FROM guideline_versions g WHERE g.project_id = p.id) AS gv
FROM projects p
WHERE p.slug = :slug AND p.status = 'active'
	AND EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = :uid::uuid AND m.role = 'annotator') \\gset
SELECT id FROM leases WHERE user_id = :uid::uuid AND project_id = :pid::uuid AND state = 'active' AND expires_at > now() LIMIT 1;
WITH candidate AS (
	SELECT i.id FROM items i
	WHERE i.project_id = :pid::uuid AND i.is_open AND NOT i.is_gold
		AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = :uid::uuid)
		AND i.judgment_count + (SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.state = 'active' AND busy.expires_at > now()) < :overlap::int
	ORDER BY i.priority DESC, i.seq
	LIMIT 1
	FOR UPDATE OF i SKIP LOCKED
)
INSERT INTO leases (project_id, item_id, user_id, display_order, expires_at)
SELECT :pid::uuid, c.id, :uid::uuid, (SELECT array_agg(r.key ORDER BY random()) FROM responses r WHERE r.item_id = c.id),
	now() + make_interval(secs => :lease_seconds::int)
FROM candidate c
RETURNING id AS lease, display_order[1] AS first, display_order[2] AS second, item_id AS item \\gset
SELECT i.external_id, i.context, r.key, r.content FROM items i JOIN responses r ON r.item_id = i.id WHERE i.id = :item::uuid ORDER BY r.position;
SELECT t.user_id AS uid, t.secret_hash FROM api_tokens t JOIN users u ON u.id = t.user_id
	WHERE t.id = 'pgb' || :client_id AND t.revoked_at IS NULL AND u.disabled_at IS NULL \\gset
WITH closed AS (
	UPDATE leases SET state = 'submitted', closed_at = now(), draft = NULL
	WHERE id = :lease::uuid AND user_id = :uid::uuid AND state = 'active'
	RETURNING id, item_id, display_order, is_gold
), counted AS (
	UPDATE items i SET judgment_count = i.judgment_count + 1, is_open = i.judgment_count + 1 < :overlap::int,
		completed_at = CASE WHEN i.judgment_count + 1 >= :overlap::int THEN now() ELSE i.completed_at END
	FROM closed WHERE i.id = closed.item_id AND NOT closed.is_gold
	RETURNING i.id
), judged AS (
	INSERT INTO judgments (project_id, item_id, user_id, lease_id, idempotency_key, display_order, ranking, strength, active_ms, guideline_version, is_gold)
	SELECT :pid::uuid, closed.item_id, :uid::uuid, closed.id, gen_random_uuid()::text, closed.display_order,
		jsonb_build_array(jsonb_build_array(:first::text), jsonb_build_array(:second::text)), 2, 1000, :gv::int, closed.is_gold
	FROM closed
	RETURNING id, ranking, strength, active_ms, guideline_version, idempotency_key
)
INSERT INTO judgment_revisions (judgment_id, revision, user_id, ranking, strength, active_ms, guideline_version, idempotency_key)
SELECT id, 1, :uid::uuid, ranking, strength, active_ms, guideline_version, idempotency_key FROM judged;
`

type AppPhase = {
	loopsPerSec: number
	loops: number
	seconds: number
	next: number[]
	judgment: number[]
	ranOut: boolean
	serverCpuMs: number | null
	/** CPU the load generator itself used (this process), to show it is not the bottleneck. */
	clientCpuMs: number
	/** CPU of the Postgres backends serving the app servers' connections (same machine only), or null. */
	postgresCpuMs: number | null
}

/** CPU so far of each Postgres backend connected to this database, except the one asking. */
async function backendCpu(db: pg.Client) {
	const { rows } = await db.query<{ pid: number }>(
		'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
	)
	return new Map(rows.map((row) => [row.pid, cpuMs(row.pid)]))
}

function backendCpuSince(before: Map<number, number | null>, after: Map<number, number | null>) {
	let total = 0
	for (const [pid, ms] of after) {
		if (ms === null) return null
		total += ms - (before.get(pid) ?? 0)
	}
	return total
}

type Leased = { lease: { id: string }; item: { responses: { id: string }[] } }

async function appPhase({
	db,
	servers,
	slug,
	tokens,
	seconds,
	maxLoops,
}: {
	db: pg.Client
	servers: AppServer[]
	slug: string
	tokens: string[]
	seconds: number
	maxLoops: number
}): Promise<AppPhase> {
	// Annotators are dealt to the servers in turn, as a round-robin balancer would.
	const clients = servers.map((server) => new HttpClient(server.url, Math.ceil(tokens.length / servers.length)))
	const cpuBefore = servers.map((server) => server.cpuMs())
	const postgresBefore = await backendCpu(db)
	const clientBefore = process.cpuUsage()
	const next: number[] = []
	const judgment: number[] = []
	let loops = 0
	let ranOut = false
	const started = process.hrtime.bigint()
	const deadline = Date.now() + seconds * 1000
	const annotator = async (token: string, index: number) => {
		const client = clients[index % clients.length]!
		const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }
		const claimed = await client.request({
			method: 'POST',
			path: `/api/v1/projects/${slug}/assignments/next`,
			headers,
			body: '{}',
		})
		if (claimed.status === 204) {
			ranOut = true
			return
		}
		if (claimed.status !== 200) throw new Error(`next answered ${claimed.status}: ${claimed.body.slice(0, 500)}`)
		next.push(claimed.ms)
		let assignment = JSON.parse(claimed.body) as Leased
		while (Date.now() < deadline && loops < maxLoops && !ranOut) {
			const [first, second] = assignment.item.responses.map((response) => response.id)
			const body = JSON.stringify({
				ranking: [[first], [second]],
				strength: 2,
				activeMs: 1000,
				idempotencyKey: randomUUID(),
				next: true,
			})
			const saved = await client.request({
				method: 'POST',
				path: `/api/v1/assignments/${assignment.lease.id}/judgment`,
				headers,
				body,
			})
			if (saved.status !== 201) throw new Error(`judgment answered ${saved.status}: ${saved.body.slice(0, 500)}`)
			judgment.push(saved.ms)
			loops++
			const following = (JSON.parse(saved.body) as { next: Leased | null }).next
			if (!following) {
				ranOut = true
				break
			}
			assignment = following
		}
		// Give the lease back, so that the next phase starts from a clean queue.
		await client.request({
			method: 'POST',
			path: `/api/v1/assignments/${assignment.lease.id}/skip`,
			headers,
			body: '{}',
		})
	}
	try {
		await Promise.all(tokens.map(annotator))
	} finally {
		for (const client of clients) client.close()
	}
	const elapsed = Number(process.hrtime.bigint() - started) / 1e9
	const cpuAfter = servers.map((server) => server.cpuMs())
	const postgresCpuMs = backendCpuSince(postgresBefore, await backendCpu(db))
	const serverCpuMs =
		cpuBefore.some((ms) => ms === null) || cpuAfter.some((ms) => ms === null)
			? null
			: cpuAfter.reduce((sum, ms, i) => sum! + ms! - cpuBefore[i]!, 0)
	const generator = process.cpuUsage(clientBefore)
	return {
		loopsPerSec: loops / elapsed,
		loops,
		seconds: elapsed,
		next,
		judgment,
		ranOut,
		serverCpuMs,
		clientCpuMs: (generator.user + generator.system) / 1000,
		postgresCpuMs,
	}
}

export const annotatorLoop: Scenario = {
	name: 'annotatorLoop',
	description:
		'virtual annotators looping judgment-with-next over HTTP vs pgbench running the same loop in SQL; then one server process vs two',
	async run(context) {
		const concurrencies = context.quick ? [4] : [16, 64]
		const ratioAt = concurrencies[0]!
		const maxConcurrency = Math.max(...concurrencies)
		const phaseSeconds = context.quick ? 2 : 10
		const items = context.quick ? 3_000 : 100_000
		const databaseUrl = await context.postgres.createDatabase('annotator_loop')
		const db = new pg.Client({ connectionString: databaseUrl })
		db.on('error', () => {})
		await db.connect()
		try {
			progress(`annotatorLoop: generating ${items.toLocaleString('en-US')} items for ${maxConcurrency * 2} annotators`)
			const fixture = await createFixture(db, { seed: 'loop', items, annotators: maxConcurrency * 2 })
			await settle(db)
			const users = await annotatorIds(db, fixture)
			const appTokens = await createApiTokens(db, { userIds: users.slice(0, maxConcurrency), idPrefix: 'app' })
			// pgbench clients 0..n-1 authenticate as tokens pgb0..pgb(n-1), on users of their own.
			await createApiTokens(db, { userIds: users.slice(maxConcurrency), idPrefix: 'pgb' })

			const server = await startAppServer({ databaseUrl })
			try {
				// Warm up: JIT, the connection pool, Postgres caches.
				await appPhase({
					db,
					servers: [server],
					slug: fixture.slug,
					tokens: appTokens.map((t) => t.token),
					seconds: context.quick ? 1 : 3,
					maxLoops: 2_000,
				})
				await pgbench({
					databaseUrl,
					script: LOOP_SQL,
					clients: ratioAt,
					seconds: 1,
					variables: { slug: fixture.slug },
				})

				const byConcurrency: Record<string, { app: AppPhase[]; ceiling: PgbenchResult[] }> = {}
				for (let run = 0; run < context.runs; run++) {
					for (const concurrency of concurrencies) {
						const entry = (byConcurrency[concurrency] ??= { app: [], ceiling: [] })
						const tokens = appTokens.slice(0, concurrency).map((t) => t.token)
						const app = await appPhase({
							db,
							servers: [server],
							slug: fixture.slug,
							tokens,
							seconds: phaseSeconds,
							maxLoops: 200_000,
						})
						if (app.ranOut) throw new Error('the project ran out of work; raise the item count')
						const ceiling = await pgbench({
							databaseUrl,
							script: LOOP_SQL,
							clients: concurrency,
							seconds: phaseSeconds,
							variables: { slug: fixture.slug },
						})
						progress(
							`annotatorLoop run ${run + 1}/${context.runs} c=${concurrency}: app ${app.loopsPerSec.toFixed(0)} loops/s, pgbench ${ceiling.tps.toFixed(0)} loops/s${ceiling.error ? ` (${ceiling.error})` : ''}`,
						)
						entry.app.push(app)
						entry.ceiling.push(ceiling)
					}
				}

				const results = Object.fromEntries(
					Object.entries(byConcurrency).map(([concurrency, { app, ceiling }]) => {
						const appLoops = median(app.map((phase) => phase.loopsPerSec))
						const ceilingRuns = ceiling.filter((result) => result.error === null)
						const pgbenchLoops = median(ceilingRuns.map((result) => result.tps))
						return [
							concurrency,
							{
								appLoopsPerSec: round(appLoops),
								pgbenchLoopsPerSec: round(pgbenchLoops),
								ratio: round(appLoops / pgbenchLoops),
								next: latencySummary(app.flatMap((phase) => phase.next)),
								judgment: latencySummary(app.flatMap((phase) => phase.judgment)),
								pgbenchLatencyAvgMs: round(median(ceilingRuns.map((result) => result.latencyAvgMs ?? Number.NaN))),
								// The server is one Node process: CPU ms per loop bounds its loops/s at 1000 / that, whatever Postgres can do.
								serverCpuMsPerLoop: round(median(app.map((phase) => (phase.serverCpuMs ?? Number.NaN) / phase.loops))),
								serverCpuShare: round(
									median(app.map((phase) => (phase.serverCpuMs ?? Number.NaN) / 1000 / phase.seconds)),
								),
								loadGeneratorCpuMsPerLoop: round(median(app.map((phase) => phase.clientCpuMs / phase.loops))),
								postgresCpuMsPerLoop: round(
									median(app.map((phase) => (phase.postgresCpuMs ?? Number.NaN) / phase.loops)),
								),
								runs: app.map((phase, index) => ({
									app: round(phase.loopsPerSec),
									pgbench: round(ceiling[index]!.tps),
									pgbenchError: ceiling[index]!.error ?? undefined,
								})),
							},
						]
					}),
				)
				const headline = results[String(ratioAt)] as {
					ratio: number
					appLoopsPerSec: number
					pgbenchLoopsPerSec: number
				}
				const busiest = results[String(maxConcurrency)] as { judgment: { p99Ms: number } }

				// Scale-out: one process against two behind the load generator, alternating, at the highest concurrency.
				const second = await startAppServer({ databaseUrl })
				const oneProcess: AppPhase[] = []
				const twoProcesses: AppPhase[] = []
				try {
					const tokens = appTokens.slice(0, maxConcurrency).map((t) => t.token)
					await appPhase({
						db,
						servers: [second],
						slug: fixture.slug,
						tokens,
						seconds: context.quick ? 1 : 2,
						maxLoops: 2_000,
					})
					for (let run = 0; run < context.runs; run++) {
						oneProcess.push(
							await appPhase({
								db,
								servers: [server],
								slug: fixture.slug,
								tokens,
								seconds: phaseSeconds,
								maxLoops: 200_000,
							}),
						)
						twoProcesses.push(
							await appPhase({
								db,
								servers: [server, second],
								slug: fixture.slug,
								tokens,
								seconds: phaseSeconds,
								maxLoops: 200_000,
							}),
						)
						progress(
							`annotatorLoop scale-out run ${run + 1}/${context.runs} c=${maxConcurrency}: 1 process ${oneProcess.at(-1)!.loopsPerSec.toFixed(0)} loops/s, 2 processes ${twoProcesses.at(-1)!.loopsPerSec.toFixed(0)} loops/s`,
						)
					}
				} finally {
					await second.stop()
				}
				const oneLoops = median(oneProcess.map((phase) => phase.loopsPerSec))
				const twoLoops = median(twoProcesses.map((phase) => phase.loopsPerSec))
				return {
					ratio: headline.ratio,
					p99Ms: busiest.judgment.p99Ms,
					p99AtConcurrency: maxConcurrency,
					scaleOut: {
						ratio: round(twoLoops / oneLoops),
						cpus: os.cpus().length,
						concurrency: maxConcurrency,
						oneProcessLoopsPerSec: round(oneLoops),
						twoProcessLoopsPerSec: round(twoLoops),
						serverCpuMsPerLoop: {
							oneProcess: round(median(oneProcess.map((phase) => (phase.serverCpuMs ?? Number.NaN) / phase.loops))),
							twoProcesses: round(median(twoProcesses.map((phase) => (phase.serverCpuMs ?? Number.NaN) / phase.loops))),
						},
					},
					ratioAtConcurrency: ratioAt,
					appLoopsPerSec: headline.appLoopsPerSec,
					pgbenchLoopsPerSec: headline.pgbenchLoopsPerSec,
					concurrency: results,
					phaseSeconds,
					runs: context.runs,
					items,
					serverPeakRssMb: server.peakRssMb(),
					dbPoolSize: Number(process.env.DB_POOL_SIZE ?? 10),
				}
			} finally {
				await server.stop()
			}
		} finally {
			await db.end().catch(() => {})
			await context.postgres.dropDatabase(databaseUrl).catch(() => {})
		}
	},
}
