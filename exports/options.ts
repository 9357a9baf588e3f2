import { z } from 'zod'

const fileKinds = ['parquet', 'jsonl'] as const

export const ExportOptionsSchema = z.strictObject({
	aggregation: z
		.enum(['per-judgment', 'consensus', 'dawid-skene'])
		.describe(
			"One row set per judgment, or per item from its majority consensus or its Dawid–Skene consensus, which weighs each vote by its annotator's estimated reliability (an adjudication wins)",
		)
		.default('per-judgment'),
	style: z
		.enum(['standard', 'conversational'])
		.describe('trl-preference and trl-kto: plain strings or message lists')
		.default('standard'),
	ties: z
		.enum(['drop', 'raw'])
		.describe('drop removes ties and both-bad; raw keeps them where the format can say so')
		.default('drop'),
	margin: z.enum(['none', 'llama2-small', 'llama2-large']).describe('trl-preference only').default('none'),
	minAgreement: z
		.number()
		.min(0)
		.max(1)
		.describe('Drop items whose agreement is below this (adjudicated items pass)')
		.optional(),
	minConfidence: z
		.number()
		.min(0)
		.max(1)
		.describe('Drop items whose Dawid–Skene consensus confidence is below this, or unknown (adjudicated items pass)')
		.optional(),
	excludeAnnotators: z
		.array(z.string().min(1))
		.describe('Annotator pseudonyms to leave out')
		.default([])
		.transform((names) => [...new Set(names)].sort()),
	annotators: z
		.enum(['human', 'ai', 'all'])
		.describe("Whose judgments: people's (default), AI judges' only, or both")
		.default('human'),
	onlyAdjudicated: z.boolean().default(false),
	split: z
		.strictObject({
			test: z.number().min(0).max(1),
			seed: z.union([z.string(), z.number()]),
		})
		.describe('Deterministic train/test split by a hash of the normalized prompt')
		.default({ test: 0, seed: 0 }),
	dedupe: z.boolean().default(true),
	files: z
		.array(z.enum(fileKinds))
		.min(1)
		.default(['parquet'])
		.transform((kinds) => fileKinds.filter((kind) => kinds.includes(kind))),
	gzip: z.boolean().describe('.jsonl.gz instead of .jsonl').default(false),
})

export type ExportOptions = z.output<typeof ExportOptionsSchema>
export type ExportOptionsInput = z.input<typeof ExportOptionsSchema>
export type FileKind = (typeof fileKinds)[number]

/** The options in a fixed key order, so the manifest and card serialize identically every run. */
export function canonicalOptions(options: ExportOptions) {
	return {
		aggregation: options.aggregation,
		style: options.style,
		ties: options.ties,
		margin: options.margin,
		...(options.minAgreement === undefined ? {} : { minAgreement: options.minAgreement }),
		...(options.minConfidence === undefined ? {} : { minConfidence: options.minConfidence }),
		excludeAnnotators: options.excludeAnnotators,
		// Recorded when it is not the default, so manifests of people-only exports read as before.
		...(options.annotators === 'human' ? {} : { annotators: options.annotators }),
		onlyAdjudicated: options.onlyAdjudicated,
		split: { test: options.split.test, seed: options.split.seed },
		dedupe: options.dedupe,
		files: options.files,
		gzip: options.gzip,
	}
}
