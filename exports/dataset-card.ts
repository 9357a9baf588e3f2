import type { DatasetFormat } from './formats/index.ts'
import { canonicalOptions, type ExportOptions } from './options.ts'
import type { Field, FieldType, SkipCounts, SkipReason, SplitName } from './types.ts'
import { toYaml, type YamlValue } from './yaml.ts'

export type AgreementStat = { metric: string; value: number; low?: number; high?: number }

/** Figures the worker knows and the rows do not, shown on the card. */
export type DatasetCardStats = {
	title?: string
	description?: string
	license?: string
	/** Annotators behind the rows; needed under consensus aggregation, where rows name none. */
	annotators?: number
	agreement?: AgreementStat[]
}

export type DatasetCardInput = {
	exportId: string
	format: DatasetFormat
	options: ExportOptions
	columns: Field[]
	splits: Array<{ name: SplitName; rows: number; pattern: string }>
	skipped: SkipCounts
	judgmentsRead: number
	judgmentsKept: number
	annotators: number
	snapshotAt: string
	quorumVersion: string
	stats?: DatasetCardStats
}

const skipMeaning = (records: string): Record<SkipReason, string> => ({
	'not-adjudicated': `${records} on items without an adjudication (only adjudicated was asked)`,
	'excluded-annotator': `${records} by excluded annotators`,
	'unknown-agreement': `${records} on items whose agreement is not known (a minimum agreement was asked)`,
	'below-min-agreement': `${records} on items below the minimum agreement`,
	'unknown-confidence': `${records} on items with no Dawid–Skene estimate (a minimum confidence was asked)`,
	'below-min-confidence': `${records} on items below the minimum Dawid–Skene confidence`,
	tie: 'tied pairs',
	'both-bad': `pairs marked both bad (for SFT: ${records})`,
	'all-tied': `${records} with every response in one tier`,
	'missing-model': 'pairs where a response has no model name',
	'same-model': 'pairs of two responses from the same model',
	duplicate: 'rows identical to an earlier row',
})

function featureYaml(type: FieldType): { [key: string]: YamlValue } {
	switch (type.kind) {
		case 'string':
			return { dtype: 'string' }
		case 'bool':
			return { dtype: 'bool' }
		case 'int32':
			return { dtype: 'int32' }
		case 'int64':
			return { dtype: 'int64' }
		case 'float64':
			return { dtype: 'float64' }
		case 'list': {
			const element = featureYaml(type.element)
			if ('dtype' in element) return { list: element.dtype ?? null }
			if ('struct' in element) return { list: element.struct ?? null }
			return { list: element }
		}
		case 'struct':
			return { struct: type.fields.map((field) => ({ name: field.name, ...featureYaml(field.type) })) }
	}
}

function typeLabel(type: FieldType): string {
	switch (type.kind) {
		case 'list':
			return `list<${typeLabel(type.element)}>`
		case 'struct':
			return `struct<${type.fields.map((field) => `${field.name}: ${typeLabel(field.type)}`).join(', ')}>`
		default:
			return type.kind
	}
}

function sizeCategory(rows: number) {
	const bounds: Array<[number, string]> = [
		[1e3, 'n<1K'],
		[1e4, '1K<n<10K'],
		[1e5, '10K<n<100K'],
		[1e6, '100K<n<1M'],
		[1e7, '1M<n<10M'],
		[1e8, '10M<n<100M'],
	]
	return bounds.find(([bound]) => rows < bound)?.[1] ?? '100M<n<1B'
}

function cell(text: string) {
	return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

function formatNumber(value: number) {
	return Number.isInteger(value) ? String(value) : value.toFixed(3)
}

function policyLines({ format, options }: { format: DatasetFormat; options: ExportOptions }) {
	const policies = [
		options.aggregation === 'consensus'
			? '**Aggregation:** one row set per item, from its consensus (an adjudication where there is one); `agreement` is the item agreement score.'
			: options.aggregation === 'dawid-skene'
				? "**Aggregation:** one row set per item, from its Dawid–Skene consensus (Dawid & Skene 1979: EM over the project's judgments, each annotator with a confusion matrix, so a vote counts by what its annotator has shown; gold items clamp the truth). Pairwise items are estimated on the four-way choice relative to the stored response order; rankings on each pair of responses, ordered by wins minus losses. `confidence` is the posterior probability of the exported answer (for a ranking, the lowest over its pairs); an adjudication wins, with confidence 1. `agreement` is the share of votes matching the exported answer."
				: '**Aggregation:** one row set per judgment (the latest revision of each).',
		`**Ties and both-bad:** policy \`${options.ties}\`. ${format.tieNote({ options })}`,
	]
	if (format.usesStyle) {
		policies.push(
			options.style === 'conversational'
				? '**Style:** conversational: `prompt` is a list of `{role, content}` messages and each completion a one-message assistant list; TRL applies the model chat template.'
				: '**Style:** standard (plain text). A prompt (or a single user turn) is used as is. Any other conversation is rendered as an HH transcript (`\\n\\nHuman: …\\n\\nAssistant:`, with a system prompt as plain text before the first Human turn), and completions then start with a space. Prefer the conversational style for chat models.',
		)
	}
	if (format.usesMargin) {
		policies.push(
			options.margin === 'none'
				? '**Margin:** none.'
				: `**Margin:** Llama 2 \`${options.margin}\` (${options.margin === 'llama2-small' ? 'significant 1, clear 2/3, slight 1/3, negligible 0' : 'significant 3, clear 2, slight 1, negligible 0'}), from the pairwise strength. Pairs from rankings of more than two responses have no strength and a null margin; ties have 0.`,
		)
	}
	const filters = [
		options.minAgreement === undefined
			? null
			: `minimum agreement ${options.minAgreement} (adjudicated items pass regardless)`,
		options.minConfidence === undefined
			? null
			: `minimum Dawid–Skene confidence ${options.minConfidence} (adjudicated items pass regardless)`,
		options.excludeAnnotators.length > 0 ? `${options.excludeAnnotators.length} annotator(s) excluded` : null,
		options.annotators === 'ai'
			? "AI judges' judgments only"
			: options.annotators === 'all'
				? "people's and AI judges' judgments"
				: null,
		options.onlyAdjudicated ? 'only adjudicated items' : null,
	].filter(Boolean)
	policies.push(`**Filters:** ${filters.length > 0 ? filters.join('; ') : 'none'}.`)
	policies.push(
		format.dedupeKey === null
			? '**Deduplication:** not applied to this format.'
			: options.dedupe
				? '**Deduplication:** identical rows were dropped; the first one read was kept.'
				: '**Deduplication:** off.',
	)
	policies.push(
		options.split.test > 0
			? `**Split:** deterministic by prompt: sha256 of the seed \`${String(options.split.seed)}\` and the normalized prompt (NFC, trimmed, whitespace collapsed, lowercased; conversations by their turns) gives a number in [0, 1); below ${options.split.test} is test. No prompt is in both splits. An empty split is omitted.`
			: '**Split:** train only.',
	)
	return policies.map((line) => `- ${line}`)
}

export function renderDatasetCard(input: DatasetCardInput): string {
	const { format, options, columns, splits, stats } = input
	const total = splits.reduce((sum, split) => sum + split.rows, 0)
	const frontMatter: { [key: string]: YamlValue } = {
		pretty_name: stats?.title ?? `Quorum export ${input.exportId}`,
		...(stats?.license ? { license: stats.license } : {}),
		tags: ['rlhf', 'human-feedback', 'quorum', format.name],
		size_categories: [sizeCategory(total)],
		configs: [
			{
				config_name: 'default',
				data_files: splits.map((split) => ({ split: split.name, path: split.pattern })),
			},
		],
		dataset_info: {
			features: columns.map((column) => ({ name: column.name, ...featureYaml(column.type) })),
			splits: splits.map((split) => ({ name: split.name, num_examples: split.rows })),
		},
	}

	const title = stats?.title ?? `Quorum export ${input.exportId}`
	const records = options.aggregation === 'per-judgment' ? 'judgments' : 'consensus records'
	const annotators = stats?.annotators ?? (input.annotators > 0 ? input.annotators : null)
	const out: string[] = ['---', toYaml(frontMatter).trimEnd(), '---', '', `# ${title}`, '']
	if (stats?.description) out.push(stats.description.trim(), '')
	out.push(
		`${format.title}, format \`${format.name}\` version ${format.version}. ${format.summary}`,
		'',
		`Exported by Quorum ${input.quorumVersion} from the snapshot taken at ${input.snapshotAt} (export \`${input.exportId}\`). \`manifest.json\` records the options, counts and a SHA-256 for every file, so the export can be checked and reproduced.`,
		'',
		'## Contents',
		'',
		'| Split | Rows |',
		'| --- | ---: |',
		...splits.map((split) => `| ${split.name} | ${split.rows} |`),
		'',
		`${input.judgmentsRead} ${records} were read and ${input.judgmentsKept} passed the filters${annotators === null ? '' : `, from ${annotators} annotator${annotators === 1 ? '' : 's'}`}.`,
		'',
	)
	const skipped = Object.entries(input.skipped) as Array<[SkipReason, number]>
	if (skipped.length > 0) {
		out.push('Left out:', '', '| Reason | Count | What |', '| --- | ---: | --- |')
		const meaning = skipMeaning(records)
		for (const [reason, count] of skipped) out.push(`| ${reason} | ${count} | ${meaning[reason]} |`)
		out.push('')
	}
	out.push('### Columns', '', '| Column | Type | Description |', '| --- | --- | --- |')
	for (const column of columns) {
		const type = typeLabel(column.type) + (column.nullable ? ' (nullable)' : '')
		out.push(`| \`${column.name}\` | \`${type}\` | ${cell(column.description ?? '')} |`)
	}
	out.push('')
	if (stats?.agreement && stats.agreement.length > 0) {
		out.push('## Agreement', '', '| Statistic | Value | 95% interval |', '| --- | ---: | --- |')
		for (const stat of stats.agreement) {
			const interval =
				stat.low === undefined || stat.high === undefined
					? ''
					: `${formatNumber(stat.low)} – ${formatNumber(stat.high)}`
			out.push(`| ${cell(stat.metric)} | ${formatNumber(stat.value)} | ${interval} |`)
		}
		out.push('')
	}
	out.push('## How it was made', '', ...policyLines({ format, options }), '')
	out.push(
		'Options as recorded in `manifest.json`:',
		'',
		'```json',
		JSON.stringify(canonicalOptions(options), null, 2),
		'```',
		'',
		'## Use',
		'',
		'```python',
		format.usage({ options }).replaceAll('{path}', 'path/to/this/folder'),
		'```',
		'',
	)
	return out.join('\n')
}
