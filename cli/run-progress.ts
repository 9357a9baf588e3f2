import { apiRequest, readProblem, type Client } from './client.ts'
import { CliError } from './errors.ts'

export type Output = { write: (text: string) => unknown; isTTY?: boolean }

/** What generation and judge runs share: `{status, progress, etaSeconds, counts, errors}`. */
export type RunStatus = {
	id: string
	status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
	progress: number
	etaSeconds: number | null
	counts: { tasks: number; done: number; failed: number; pending: number }
	error?: string | null
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled'])

export async function failWith(response: Response, what: string): Promise<never> {
	const problem = await readProblem(response)
	const fields = problem.errors?.map((error) => `${error.path}: ${error.message}`).join('; ')
	throw new CliError(`${what}: ${problem.text}${fields ? ` (${fields})` : ''}`)
}

export function progressLine({
	status,
	label,
	unit,
	width = 30,
}: {
	status: RunStatus
	label: string
	unit: string
	width?: number
}) {
	const filled = Math.round(status.progress * width)
	const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`
	const { done, failed, tasks } = status.counts
	const eta = status.etaSeconds !== null && status.status === 'running' ? ` · ~${status.etaSeconds}s left` : ''
	const what =
		status.status === 'queued'
			? 'queued, waiting for a worker'
			: `${done + failed}/${tasks} ${unit}${failed ? ` (${failed} failed)` : ''}${eta}`
	return `${label} ${status.id.slice(0, 8)} [${bar}] ${what}`
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls a run until it ends, drawing its progress on stderr; a failed or cancelled run is an error. */
export async function waitForRun<Status extends RunStatus>({
	client,
	path,
	label,
	unit,
	describeError,
	errorsOf,
	stderr = process.stderr,
	intervalMs = 1000,
}: {
	client: Client
	/** e.g. `/generations/<id>` */
	path: string
	label: string
	unit: string
	errorsOf: (status: Status) => unknown[]
	describeError: (error: never) => string
	stderr?: Output
	intervalMs?: number
}): Promise<Status> {
	let lastLine = ''
	for (;;) {
		const response = await apiRequest(client, path)
		if (!response.ok) await failWith(response, `Cannot read ${label.toLowerCase()} ${path.split('/').pop()}`)
		const status = (await response.json()) as Status
		const line = progressLine({ status, label, unit })
		if (line !== lastLine) stderr.write(stderr.isTTY ? `\r${line}` : `${line}\n`)
		lastLine = line
		if (FINAL.has(status.status)) {
			if (stderr.isTTY) stderr.write('\n')
			for (const error of errorsOf(status).slice(0, 10)) stderr.write(`  ${describeError(error as never)}\n`)
			if (status.status === 'failed')
				throw new CliError(`${label} ${status.id} failed: ${status.error ?? 'no reason given'}`)
			if (status.status === 'cancelled') throw new CliError(`${label} ${status.id} was cancelled`)
			return status
		}
		await sleep(intervalMs)
	}
}
