import type { Command } from 'commander'
import { apiRequest, clientFromEnv, type Client } from '../client.ts'
import { CliError } from '../errors.ts'
import { failWith, waitForRun, type Output } from '../run-progress.ts'

type GenerationStatus = {
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
		itemsOpened: number
		itemsMarked: number
	}
	errors: { externalId: string; endpoint: string; sample: number; message: string }[]
	error?: string | null
}

/** `NAME` or `NAME:SAMPLES` → `{id: NAME, samples}`; the server resolves names to endpoints. */
export function parseEndpointSpec(spec: string) {
	const match = /^(.+?)(?::(\d+))?$/.exec(spec.trim())
	if (!match || !match[1])
		throw new CliError(`--endpoint ${spec}: expected NAME or NAME:SAMPLES, e.g. --endpoint llama3:2`)
	const samples = match[2] === undefined ? 1 : Number(match[2])
	if (!Number.isInteger(samples) || samples < 1 || samples > 9)
		throw new CliError(`--endpoint ${spec}: SAMPLES must be 1 to 9`)
	return { id: match[1], samples }
}

export async function waitForGeneration({
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
	return waitForRun<GenerationStatus>({
		client,
		path: `/generations/${encodeURIComponent(id)}`,
		label: 'Generation',
		unit: 'samples',
		errorsOf: (status) => status.errors,
		describeError: (error: GenerationStatus['errors'][number]) =>
			`${error.externalId} · ${error.endpoint} #${error.sample + 1}: ${error.message}`,
		stderr,
		intervalMs,
	})
}

export async function runGenerate({
	client,
	project,
	endpoints,
	wait,
	stdout = process.stdout,
	stderr = process.stderr,
	intervalMs,
}: {
	client: Client
	project: string
	endpoints: string[]
	wait?: boolean
	stdout?: Output
	stderr?: Output
	intervalMs?: number
}) {
	if (endpoints.length === 0) throw new CliError('Give at least one --endpoint NAME[:SAMPLES]')
	const body = { endpoints: endpoints.map(parseEndpointSpec) }
	const response = await apiRequest(client, `/projects/${encodeURIComponent(project)}/generations`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	})
	if (!response.ok) await failWith(response, 'The generation was refused')
	const created = (await response.json()) as GenerationStatus
	stdout.write(`${created.id}\n`)
	if (!wait) return created
	return waitForGeneration({ client, id: created.id, stderr, intervalMs })
}

const collect = (value: string, previous: string[]) => [...previous, value]

export function registerGenerateCommand(program: Command) {
	program
		.command('generate')
		.description(
			'Generate responses for the items of a project that wait for them (client command: QUORUM_URL, QUORUM_TOKEN). Prints the run id; progress goes to stderr.',
		)
		.requiredOption('--project <slug>', 'the project')
		.option(
			'--endpoint <name[:samples]>',
			'a model endpoint and how many samples from it; repeat for several',
			collect,
			[],
		)
		.option('--wait', 'wait until the run finishes, drawing a progress bar')
		.action(async (options: { project: string; endpoint: string[]; wait?: boolean }) => {
			await runGenerate({
				client: clientFromEnv(),
				project: options.project,
				endpoints: options.endpoint,
				wait: options.wait,
			})
		})
}
