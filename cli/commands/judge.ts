import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { apiRequest, clientFromEnv, type Client } from '../client.ts'
import { CliError } from '../errors.ts'
import { failWith, waitForRun, type Output } from '../run-progress.ts'

type JudgeRunStatus = {
	id: string
	status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
	progress: number
	etaSeconds: number | null
	counts: {
		items: number
		tasks: number
		done: number
		failed: number
		pending: number
		itemsJudged: number
		itemsInconsistent: number
	}
	errors: { externalId: string; order: number; message: string }[]
	templateVersion: number
	error?: string | null
}

export async function waitForJudgeRun({
	client,
	id,
	stderr = process.stderr,
	intervalMs = 1000,
}: {
	client: Client
	id: string
	stderr?: Output
	intervalMs?: number
}) {
	return waitForRun<JudgeRunStatus>({
		client,
		path: `/judge-runs/${encodeURIComponent(id)}`,
		label: 'Judge run',
		unit: 'calls',
		errorsOf: (status) => status.errors,
		describeError: (error: JudgeRunStatus['errors'][number]) =>
			`${error.externalId} · ${error.order === 0 ? 'as shown' : 'reversed'}: ${error.message}`,
		stderr,
		intervalMs,
	})
}

export async function runJudge({
	client,
	project,
	endpoint,
	templateFile,
	wait,
	stdout = process.stdout,
	stderr = process.stderr,
	intervalMs,
}: {
	client: Client
	project: string
	endpoint: string
	templateFile?: string
	wait?: boolean
	stdout?: Output
	stderr?: Output
	intervalMs?: number
}) {
	if (!endpoint.trim()) throw new CliError('Give the judge with --endpoint NAME')
	let template: string | undefined
	if (templateFile) {
		try {
			template = await readFile(templateFile, 'utf8')
		} catch (error) {
			throw new CliError(`--template ${templateFile}: ${error instanceof Error ? error.message : String(error)}`)
		}
	}
	const response = await apiRequest(client, `/projects/${encodeURIComponent(project)}/judge-runs`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ endpointId: endpoint, ...(template !== undefined ? { template } : {}) }),
	})
	if (!response.ok) await failWith(response, 'The judge run was refused')
	const created = (await response.json()) as JudgeRunStatus
	stdout.write(`${created.id}\n`)
	if (!wait) return created
	const finished = await waitForJudgeRun({ client, id: created.id, stderr, intervalMs })
	stderr.write(
		`${finished.counts.itemsJudged} items judged, ${finished.counts.itemsInconsistent} position-inconsistent (template ${
			finished.templateVersion === 0 ? 'default' : `v${finished.templateVersion}`
		})\n`,
	)
	return finished
}

export function registerJudgeCommand(program: Command) {
	program
		.command('judge')
		.description(
			"Have a model endpoint's AI judge judge a project's items in both orders (client command: QUORUM_URL, QUORUM_TOKEN). Prints the run id; progress goes to stderr.",
		)
		.requiredOption('--project <slug>', 'the project')
		.requiredOption('--endpoint <name>', 'the model endpoint that judges (its name or id)')
		.option('--template <file>', 'a judge prompt template; if it differs from the latest it becomes a new version')
		.option('--wait', 'wait until the run finishes, drawing a progress bar')
		.action(async (options: { project: string; endpoint: string; template?: string; wait?: boolean }) => {
			await runJudge({
				client: clientFromEnv(),
				project: options.project,
				endpoint: options.endpoint,
				templateFile: options.template,
				wait: options.wait,
			})
		})
}
