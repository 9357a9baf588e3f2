import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import type { AlphaLevel } from '#app/modules/stats/krippendorff.ts'
import { AGGREGATE_METHODS, runAggregateCommand, type AggregateMethod } from '#app/modules/stats/offline-aggregate.ts'
import {
	AGREEMENT_METRICS,
	DEFAULT_BOOTSTRAP_ROUNDS,
	DEFAULT_SEED,
	OfflineInputError,
	runAgreementCommand,
	runRankCommand,
	type AgreementMetric,
	type CohenWeights,
} from '#app/modules/stats/offline.ts'
import { runControlledRankCommand } from '#app/modules/stats/offline-controlled-rank.ts'
import { CliError } from '../errors.ts'

type Output = { write: (text: string) => unknown }

async function readInput(file: string): Promise<string> {
	if (file === '-') {
		const chunks: Buffer[] = []
		for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
		return Buffer.concat(chunks).toString('utf8')
	}
	try {
		return await readFile(file, 'utf8')
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code
		const why =
			code === 'ENOENT'
				? 'no such file'
				: code === 'EISDIR'
					? 'it is a directory'
					: code === 'EACCES'
						? 'permission denied'
						: String(code ?? error)
		throw new CliError(`cannot read ${file}: ${why}`)
	}
}

function wholeNumber(value: string | undefined, flag: string, { allowNegative = false } = {}): number | undefined {
	if (value === undefined) return undefined
	const pattern = allowNegative ? /^-?\d+$/ : /^\d+$/
	const parsed = Number(value)
	if (!pattern.test(value.trim()) || !Number.isSafeInteger(parsed)) {
		throw new CliError(
			`${flag} must be a whole number${allowNegative ? '' : ' (0 or more)'}, got ${JSON.stringify(value)}`,
		)
	}
	return parsed
}

/** Bad input becomes one line naming the file and the problem. */
function offlineError(file: string, error: unknown): never {
	if (error instanceof OfflineInputError) throw new CliError(`${file === '-' ? 'stdin' : file}: ${error.message}`)
	throw error
}

export async function runAggregate({
	input,
	method,
	classes,
	stdout = process.stdout,
}: {
	input: string
	method: string
	classes?: string
	stdout?: Output
}) {
	const classCount = wholeNumber(classes, '--classes')
	const inputText = await readInput(input)
	try {
		const result = runAggregateCommand({ inputText, method: method as AggregateMethod, classes: classCount })
		stdout.write(`${JSON.stringify(result)}\n`)
		return result
	} catch (error) {
		offlineError(input, error)
	}
}

export async function runAgreement({
	input,
	metric,
	level,
	weights,
	stdout = process.stdout,
}: {
	input: string
	metric: string
	level?: string
	weights?: string
	stdout?: Output
}) {
	const inputText = await readInput(input)
	try {
		const result = runAgreementCommand({
			inputText,
			metric: metric as AgreementMetric,
			level: level as AlphaLevel | undefined,
			weights: weights as CohenWeights | undefined,
		})
		stdout.write(`${JSON.stringify(result, null, 2)}\n`)
		return result
	} catch (error) {
		offlineError(input, error)
	}
}

export async function runRank({
	input,
	bootstrap,
	seed,
	styleControl = false,
	positionControl = false,
	stdout = process.stdout,
}: {
	input: string
	bootstrap?: string
	seed?: string
	styleControl?: boolean
	positionControl?: boolean
	stdout?: Output
}) {
	const rounds = wholeNumber(bootstrap, '--bootstrap')
	const seedValue = wholeNumber(seed, '--seed', { allowNegative: true })
	const inputText = await readInput(input)
	if (styleControl || positionControl)
		return runControlledRank({
			input,
			inputText,
			bootstrap: rounds,
			seed: seedValue,
			style: styleControl,
			position: positionControl,
			stdout,
		})
	try {
		const rows = runRankCommand({ inputText, bootstrap: rounds, seed: seedValue })
		stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
		return rows
	} catch (error) {
		offlineError(input, error)
	}
}

function runControlledRank({
	input,
	stdout,
	...options
}: {
	input: string
	inputText: string
	bootstrap?: number
	seed?: number
	style: boolean
	position: boolean
	stdout: Output
}) {
	try {
		const result = runControlledRankCommand(options)
		stdout.write(`${JSON.stringify(result, null, 2)}\n`)
		return result
	} catch (error) {
		offlineError(input, error)
	}
}

/** Offline commands: statistics on the engineer's own files, no server or database involved. */
export function registerOfflineCommands(program: Command) {
	program
		.command('aggregate')
		.description(
			'Consensus labels of a JSON file {"data": [[...], ...], "gold"?: [...]} (one row per annotator, one column per item, labels 0..K-1 or null; gold a label or null per item) by Dawid–Skene or the majority vote; prints JSON',
		)
		.requiredOption('--input <file>', 'the JSON file ("-" reads stdin)')
		.requiredOption('--method <method>', `one of ${AGGREGATE_METHODS.join(', ')}`)
		.option('--classes <k>', 'number of classes (default: one more than the largest label)')
		.showHelpAfterError(false)
		.action(async (options: { input: string; method: string; classes?: string }) => {
			await runAggregate(options)
		})

	program
		.command('agreement')
		.description(
			'Inter-annotator agreement of a JSON file {"data": [[...], ...]} (one row per annotator, one column per item, null for missing); prints JSON',
		)
		.requiredOption('--input <file>', 'the JSON file ("-" reads stdin)')
		.requiredOption('--metric <metric>', `one of ${AGREEMENT_METRICS.join(', ')}`)
		.option('--level <level>', 'krippendorff only: nominal (default), ordinal, interval or ratio')
		.option('--weights <weights>', 'cohen only: linear or quadratic (default unweighted)')
		.showHelpAfterError(false)
		.action(async (options: { input: string; metric: string; level?: string; weights?: string }) => {
			await runAgreement(options)
		})

	program
		.command('rank')
		.description(
			'Bradley-Terry ratings on the Elo scale, as Chatbot Arena computes them, from JSONL battles {"model_a", "model_b", "winner"}; prints JSON, best first',
		)
		.requiredOption(
			'--input <file>',
			'the JSONL file ("-" reads stdin); winner is model_a, model_b, tie or "tie (bothbad)"',
		)
		.option(
			'--bootstrap <rounds>',
			`bootstrap rounds for the 95% intervals (default ${DEFAULT_BOOTSTRAP_ROUNDS}; 0 for none)`,
		)
		.option('--seed <seed>', `seed of the bootstrap, for reproducible intervals (default ${DEFAULT_SEED})`)
		.option(
			'--style-control',
			'control for style as FastChat does (each line needs conv_metadata: token, header, list and bold counts of both answers); prints {"ratings", "coefficients"}',
		)
		.option(
			'--position-control',
			'control for which answer was shown first (each line needs "first": "model_a" or "model_b"); prints {"ratings", "coefficients"}',
		)
		.showHelpAfterError(false)
		.action(
			async (options: {
				input: string
				bootstrap?: string
				seed?: string
				styleControl?: boolean
				positionControl?: boolean
			}) => {
				await runRank(options)
			},
		)
}
