// The claim's candidate query exactly as the database runs it: read from the function's current
// source (prisma/sql/functions/quorum_claim_next.sql, which a test holds equal to the latest
// migration), so that the plans reported here are the plans of the code as it stands.
import type pg from 'pg'
import { functionSource } from '#prisma/sql-functions.ts'

const FILE = 'prisma/sql/functions/quorum_claim_next.sql'
/** The function's variables, as the names the benchmark fills them from. */
const VARIABLES: Record<string, string> = {
	p_project: 'projectId',
	p_user: 'userId',
	p_overlap: 'overlap',
	p_now: 'now',
	v_passed: 'passed',
}

/** The candidate query of quorum_claim_next's claim loop, with its variables as parameters in order. */
export function claimQueryFromSource(): { sql: string; expressions: string[] } {
	const source = functionSource('quorum_claim_next')
	const loop = source.indexOf('FOR attempt IN')
	const start = source.indexOf('SELECT i.id INTO v_item', loop)
	const end = source.indexOf('SKIP LOCKED', start)
	if (loop < 0 || start < 0 || end < 0)
		throw new Error(`the candidate query of quorum_claim_next was not found in ${FILE}`)
	const body = source.slice(start, end + 'SKIP LOCKED'.length).replace('INTO v_item ', '')
	const expressions: string[] = []
	const sql = body.replace(/\b(p_project|p_user|p_overlap|p_now|v_passed)\b/g, (variable: string) => {
		const name = VARIABLES[variable]!
		if (!expressions.includes(name)) expressions.push(name)
		return `$${expressions.indexOf(name) + 1}`
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
export async function explainClaim(
	client: pg.ClientBase,
	{ projectId, userId, overlap }: { projectId: string; userId: string; overlap: number },
): Promise<ClaimPlan> {
	const { sql, expressions } = claimQueryFromSource()
	const now = new Date()
	// `passed`: candidates an earlier attempt of the same claim skipped; none on a first attempt.
	const values: Record<string, unknown> = { projectId, userId, overlap, now, passed: [] as string[] }
	const params = expressions.map((expression) => {
		if (!(expression in values))
			throw new Error(`the claim query uses \${${expression}}, which the benchmark does not know how to fill`)
		return values[expression]
	})
	await client.query('BEGIN')
	try {
		const { rows } = await client.query<{
			'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }]
		}>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params)
		const { rows: textRows } = await client.query<{ 'QUERY PLAN': string }>(
			`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) ${sql}`,
			params,
		)
		const [root] = rows[0]!['QUERY PLAN']
		let itemRowsVisited = 0
		let itemsAccess = ''
		walk(root.Plan, (node) => {
			if (node['Relation Name'] === 'items' && !itemsAccess) {
				itemsAccess = `${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}`
				itemRowsVisited =
					((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1)
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
