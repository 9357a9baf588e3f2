// The claim query exactly as app/modules/assignments/engine.server.ts sends it, read from its
// source so that the plans reported here are the plans of the code as it stands.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type pg from 'pg'

const ENGINE = 'app/modules/assignments/engine.server.ts'

/** The candidate query of claimRegular, with its template expressions in order. */
export function claimQueryFromSource(): { sql: string; expressions: string[] } {
	const source = readFileSync(path.resolve(ENGINE), 'utf8')
	const start = source.indexOf('async function claimRegular')
	if (start < 0) throw new Error(`claimRegular not found in ${ENGINE}`)
	const open = source.indexOf('$queryRaw', start)
	const tick = source.indexOf('`', open)
	const close = source.indexOf('`', tick + 1)
	if (open < 0 || tick < 0 || close < 0) throw new Error(`the claim query of claimRegular was not found in ${ENGINE}`)
	const template = source.slice(tick + 1, close)
	const expressions: string[] = []
	const sql = template.replace(/\$\{([^}]*)\}/g, (_, expression: string) => {
		expressions.push(expression.trim())
		return `$${expressions.length}`
	})
	return { sql, expressions }
}

export type ClaimPlan = {
	executionMs: number
	planningMs: number
	/** Shared buffers hit or read by the whole query. */
	buffers: number
	/** Rows of items the scan produced or filtered out before one was chosen. */
	itemRowsVisited: number
	/** How the items were reached: node type and index. */
	itemsAccess: string
	/** The text plan, for reading. */
	text: string[]
}

type PlanNode = {
	'Node Type': string
	'Relation Name'?: string
	'Index Name'?: string
	'Actual Rows'?: number
	'Actual Loops'?: number
	'Rows Removed by Filter'?: number
	'Shared Hit Blocks'?: number
	'Shared Read Blocks'?: number
	Plans?: PlanNode[]
}

function walk(node: PlanNode, visit: (node: PlanNode) => void) {
	visit(node)
	for (const child of node.Plans ?? []) walk(child, visit)
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the claim for one annotator, inside a transaction that is rolled
 * back (the query takes row locks).
 */
export async function explainClaim(client: pg.ClientBase, { projectId, userId, overlap }: { projectId: string; userId: string; overlap: number }): Promise<ClaimPlan> {
	const { sql, expressions } = claimQueryFromSource()
	const now = new Date()
	// `passed`: candidates an earlier attempt of the same claim skipped; none on a first attempt.
	const values: Record<string, unknown> = { projectId, userId, overlap, now, passed: [] as string[] }
	const params = expressions.map((expression) => {
		if (!(expression in values)) throw new Error(`the claim query uses \${${expression}}, which the benchmark does not know how to fill`)
		return values[expression]
	})
	await client.query('BEGIN')
	try {
		const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }] }>(
			`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
			params,
		)
		const { rows: textRows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) ${sql}`, params)
		const [root] = rows[0]!['QUERY PLAN']
		let itemRowsVisited = 0
		let itemsAccess = ''
		walk(root.Plan, (node) => {
			if (node['Relation Name'] === 'items' && !itemsAccess) {
				itemsAccess = `${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}`
				itemRowsVisited = ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1)
			}
		})
		return {
			executionMs: Math.round(root['Execution Time'] * 1000) / 1000,
			planningMs: Math.round(root['Planning Time'] * 1000) / 1000,
			buffers: (root.Plan['Shared Hit Blocks'] ?? 0) + (root.Plan['Shared Read Blocks'] ?? 0),
			itemRowsVisited,
			itemsAccess,
			text: textRows.map((row) => row['QUERY PLAN']),
		}
	} finally {
		await client.query('ROLLBACK')
	}
}
