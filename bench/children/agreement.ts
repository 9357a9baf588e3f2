// Runs in a child process so that its peak memory (VmHWM) is its own. Usage:
//   node --import tsx bench/children/agreement.ts stats <projectId>    (DATABASE_URL set)
//   node --import tsx bench/children/agreement.ts refresh <projectId>
// `stats` loads the project's judgments into columns and times Krippendorff's alpha and the
// Bradley–Terry leaderboard with 100 bootstrap rounds (app/modules/stats); `refresh` times the
// whole analytics refresh the worker runs. Prints one JSON object.
import pg from 'pg'
import { arenaLeaderboard, type Battle, type BattleWinner } from '#app/modules/stats/bradley-terry.ts'
import { krippendorffAlphaColumnar } from '#app/modules/stats/krippendorff.ts'
import { peakRssMb } from '../util/proc.ts'
import { seconds } from '../util/stats.ts'

const [mode, projectId] = process.argv.slice(2)
const connectionString = process.env.DATABASE_URL
if (!connectionString || !projectId || (mode !== 'stats' && mode !== 'refresh')) {
	process.stderr.write('usage: agreement.ts stats|refresh <projectId> (with DATABASE_URL)\n')
	process.exit(2)
}

const FETCH_ROWS = 50_000

/**
 * One row per judgment of a pairwise item: its unit (the item's seq), the choice relative to the
 * item's stored response order (0 first preferred, 1 second preferred, 2 tie, 3 both bad), the
 * signed preference −3..+3, and the two models.
 */
async function loadColumns(client: pg.Client) {
	const { rows: countRows } = await client.query<{ n: number; min_seq: string }>(
		`SELECT count(*)::int AS n, coalesce(min(i.seq), 0)::text AS min_seq FROM judgments j JOIN items i ON i.id = j.item_id WHERE j.project_id = $1 AND NOT i.is_gold`,
		[projectId],
	)
	const total = countRows[0]!.n
	const minSeq = Number(countRows[0]!.min_seq)
	const unit = new Int32Array(total)
	const choice = new Float64Array(total)
	const signed = new Float64Array(total)
	const battles: Battle[] = new Array(total)
	const models = new Map<string, string>()
	const intern = (name: string) => {
		let kept = models.get(name)
		if (kept === undefined) {
			kept = name
			models.set(name, name)
		}
		return kept
	}
	const winners: BattleWinner[] = ['model_a', 'model_b', 'tie', 'tie (bothbad)']
	let filled = 0
	// One plan over the whole project (hash joins), read through a cursor a slice at a time.
	await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
	try {
		// The whole result is read, so plan for it (not for the first rows), with room for its hash tables.
		await client.query(`SET LOCAL cursor_tuple_fraction = 1`)
		await client.query(`SET LOCAL work_mem = '128MB'`)
		await client.query(
			`DECLARE agreement_rows NO SCROLL CURSOR FOR
			SELECT i.seq::float8,
				CASE WHEN j.both_bad THEN 3 WHEN jsonb_array_length(j.ranking) < 2 THEN 2 WHEN j.ranking->0->>0 = r.first_key THEN 0 ELSE 1 END,
				CASE WHEN j.both_bad OR jsonb_array_length(j.ranking) < 2 THEN 0
					ELSE (CASE WHEN j.ranking->0->>0 = r.first_key THEN 1 ELSE -1 END) * coalesce(least(greatest(j.strength, 0), 3), 1) END,
				r.model_a, r.model_b
			FROM judgments j
			JOIN items i ON i.id = j.item_id AND NOT i.is_gold
			JOIN (SELECT item_id, min(key) FILTER (WHERE position = 0) AS first_key,
					min(model) FILTER (WHERE position = 0) AS model_a, min(model) FILTER (WHERE position = 1) AS model_b
				FROM responses WHERE item_id IN (SELECT id FROM items WHERE project_id = $1) GROUP BY item_id) r ON r.item_id = j.item_id
			WHERE j.project_id = $1`,
			[projectId],
		)
		for (;;) {
			const { rows } = await client.query<[number, number, number, string | null, string | null]>({
				text: `FETCH FORWARD ${FETCH_ROWS} FROM agreement_rows`,
				rowMode: 'array',
			})
			for (const [seq, code, preference, modelA, modelB] of rows) {
				if (filled >= total) break
				unit[filled] = seq - minSeq
				choice[filled] = code
				signed[filled] = preference
				battles[filled] = {
					model_a: intern(modelA ?? 'unknown'),
					model_b: intern(modelB ?? 'unknown'),
					winner: winners[code]!,
				}
				filled++
			}
			if (rows.length < FETCH_ROWS) break
		}
	} finally {
		await client.query('COMMIT')
	}
	return {
		unit: unit.subarray(0, filled),
		choice: choice.subarray(0, filled),
		signed: signed.subarray(0, filled),
		battles: battles.slice(0, filled),
	}
}

async function stats() {
	const client = new pg.Client({ connectionString, application_name: 'quorum-bench-agreement' })
	await client.connect()
	let loadStarted = process.hrtime.bigint()
	const columns = await loadColumns(client).finally(() => client.end())
	const loadSeconds = seconds(loadStarted)

	loadStarted = process.hrtime.bigint()
	const nominal = krippendorffAlphaColumnar({ unitIndex: columns.unit, values: columns.choice, level: 'nominal' })
	const alphaSeconds = seconds(loadStarted)

	loadStarted = process.hrtime.bigint()
	const interval = krippendorffAlphaColumnar({ unitIndex: columns.unit, values: columns.signed, level: 'interval' })
	const alphaIntervalSeconds = seconds(loadStarted)

	loadStarted = process.hrtime.bigint()
	const leaderboard = arenaLeaderboard({ battles: columns.battles, bootstrap: 100, seed: 42 })
	const leaderboardSeconds = seconds(loadStarted)

	return {
		judgments: columns.unit.length,
		loadSeconds,
		alphaSeconds,
		alphaIntervalSeconds,
		leaderboardSeconds,
		alphaNominal: nominal.alpha,
		alphaInterval: interval.alpha,
		units: nominal.units,
		models: leaderboard.length,
		topModel: leaderboard[0]?.model ?? null,
		peakRssMb: peakRssMb('self'),
	}
}

async function refresh() {
	const { refreshProjectAnalytics } = await import('#app/modules/analytics/refresh-project-analytics.server.ts')
	const { disconnectDb } = await import('#app/utils/db.server.ts')
	const started = process.hrtime.bigint()
	const result = await refreshProjectAnalytics({ projectId: projectId! })
	const refreshSeconds = seconds(started)
	await disconnectDb()
	return { refreshSeconds, judgments: result.judgments, peakRssMb: peakRssMb('self') }
}

const result = mode === 'stats' ? await stats() : await refresh()
process.stdout.write(`${JSON.stringify(result)}\n`)
