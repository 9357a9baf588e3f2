import { CliError } from './errors.ts'

export type Client = {
	baseUrl: URL
	token: string
	fetch: typeof fetch
}

/** A client for the Quorum API from QUORUM_URL and QUORUM_TOKEN, with errors that say what to set. */
export function clientFromEnv({
	env = process.env,
	fetchImpl = fetch,
}: { env?: NodeJS.ProcessEnv; fetchImpl?: typeof fetch } = {}): Client {
	const url = env.QUORUM_URL?.trim()
	if (!url)
		throw new CliError(
			'QUORUM_URL is not set. Point it at the Quorum server, e.g. QUORUM_URL=https://quorum.example (the demo runs on http://localhost:3000).',
		)
	let baseUrl: URL
	try {
		baseUrl = new URL(url)
	} catch {
		throw new CliError(`QUORUM_URL is not a URL: "${url}". Use the server's address, e.g. https://quorum.example`)
	}
	if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:')
		throw new CliError(`QUORUM_URL must start with http:// or https://, not "${baseUrl.protocol}"`)
	const token = env.QUORUM_TOKEN?.trim()
	if (!token) {
		throw new CliError(
			'QUORUM_TOKEN is not set. Create a personal API token under "API tokens" in the app (or with `quorum tokens create`) and export QUORUM_TOKEN=<token>.',
		)
	}
	return { baseUrl, token, fetch: fetchImpl }
}

export function apiUrl(client: Client, path: string, query: Record<string, string | undefined> = {}) {
	const url = new URL(`${client.baseUrl.pathname.replace(/\/$/, '')}/api/v1${path}`, client.baseUrl)
	for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value)
	return url
}

type Problem = { title?: string; detail?: string; status?: number; errors?: { path?: string; message?: string }[] }

/** Reads an error body: problem+json details when the server sent them, else the status line. */
export async function readProblem(response: Response): Promise<Problem & { text: string }> {
	const body = await response.text().catch(() => '')
	try {
		const problem = JSON.parse(body) as Problem
		return { ...problem, text: problem.detail ?? problem.title ?? `HTTP ${response.status}` }
	} catch {
		return { text: `HTTP ${response.status} ${response.statusText}`.trim() }
	}
}

/** Sends a request with the bearer token; connection failures and 401/403 become CliErrors naming the cause. */
export async function apiRequest(
	client: Client,
	path: string,
	init: RequestInit & { query?: Record<string, string | undefined> } = {},
) {
	const { query, ...rest } = init
	const url = apiUrl(client, path, query)
	const headers = new Headers(rest.headers)
	headers.set('Authorization', `Bearer ${client.token}`)
	if (!headers.has('Accept')) headers.set('Accept', 'application/json')
	let response: Response
	try {
		response = await client.fetch(url, { ...rest, headers })
	} catch (error) {
		const cause = (error as { cause?: { code?: string; message?: string } }).cause
		const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
		throw new CliError(
			`Cannot reach Quorum at ${client.baseUrl.origin} (${reason}). Check QUORUM_URL and that the server is running.`,
		)
	}
	if (response.status === 401) {
		const problem = await readProblem(response)
		throw new CliError(
			`The server did not accept QUORUM_TOKEN: ${problem.text}. Create a new token and export QUORUM_TOKEN again.`,
		)
	}
	if (response.status === 403) {
		const problem = await readProblem(response)
		throw new CliError(`Not allowed: ${problem.text}`)
	}
	return response
}
