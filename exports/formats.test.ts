import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
	comparisonConsensus,
	comparisonJudgments,
	consensusJudgments,
	dawidSkeneJudgments,
	sourceJudgments,
} from '#tests/fixtures/exports/judgments.ts'
import type { DatasetCardStats } from './dataset-card.ts'
import { datasetFormats, formatNames, type FormatName } from './formats/index.ts'
import { ExportOptionsSchema, type ExportOptionsInput } from './options.ts'
import { NO_DETAILS, type SourceJudgment } from './types.ts'
import { writeDataset } from './write-dataset.ts'

type GoldenCase = {
	name: string
	format: FormatName
	options?: ExportOptionsInput
	judgments?: SourceJudgment[]
	card?: DatasetCardStats
}

const agreement = [{ metric: "Krippendorff's alpha (ordinal)", value: 0.61, low: 0.42, high: 0.77 }]

const cases: GoldenCase[] = [
	{ name: 'trl-preference-standard', format: 'trl-preference', card: { agreement } },
	{
		name: 'trl-preference-conversational',
		format: 'trl-preference',
		options: { style: 'conversational', margin: 'llama2-small', ties: 'raw', split: { test: 0.5, seed: 'golden' } },
	},
	{ name: 'trl-preference-margin-large', format: 'trl-preference', options: { margin: 'llama2-large', dedupe: false } },
	{
		name: 'trl-preference-consensus',
		format: 'trl-preference',
		judgments: consensusJudgments,
		options: { aggregation: 'consensus', minAgreement: 0.5 },
		card: { title: 'Capitals and tomatoes', annotators: 5, agreement },
	},
	{
		name: 'trl-preference-dawid-skene',
		format: 'trl-preference',
		judgments: dawidSkeneJudgments,
		options: { aggregation: 'dawid-skene', minConfidence: 0.9 },
		card: { title: 'Capitals and tomatoes', annotators: 5, agreement },
	},
	{ name: 'raw-dawid-skene', format: 'raw', judgments: dawidSkeneJudgments, options: { aggregation: 'dawid-skene' } },
	{ name: 'trl-kto-standard', format: 'trl-kto' },
	{ name: 'trl-kto-conversational-ties-raw', format: 'trl-kto', options: { style: 'conversational', ties: 'raw' } },
	{ name: 'openai-dpo', format: 'openai-dpo', options: { ties: 'raw' } },
	{ name: 'hh', format: 'hh' },
	{ name: 'hh-ties-raw', format: 'hh', options: { ties: 'raw' } },
	{ name: 'sft', format: 'sft' },
	{ name: 'arena', format: 'arena' },
	{ name: 'arena-ties-raw', format: 'arena', options: { ties: 'raw', excludeAnnotators: ['annotator-dead00'] } },
	{ name: 'raw', format: 'raw', options: { ties: 'raw' } },
	// A comparison project: each record is one judged pair of an item's N responses (ADR 0024).
	...formatNames.map((format): GoldenCase => ({
		name: `comparison-${format}`,
		format,
		judgments: comparisonJudgments,
		options: { ties: 'raw', dedupe: false, ...(format === 'trl-preference' ? { margin: 'llama2-small' } : {}) },
	})),
	{
		name: 'comparison-arena-consensus',
		format: 'arena',
		judgments: comparisonConsensus,
		options: { aggregation: 'consensus', ties: 'raw' },
	},
	{
		name: 'comparison-trl-preference-consensus',
		format: 'trl-preference',
		judgments: comparisonConsensus,
		options: { aggregation: 'consensus' },
	},
]

let workDir: string
beforeAll(async () => {
	workDir = await mkdtemp(join(tmpdir(), 'quorum-golden-'))
})
afterAll(async () => {
	await rm(workDir, { recursive: true, force: true })
})

async function exportCase(testCase: GoldenCase, overrides: ExportOptionsInput = {}, label = 'golden') {
	const outDir = join(workDir, `${testCase.name}-${label}`)
	const manifest = await writeDataset({
		source: testCase.judgments ?? sourceJudgments,
		format: testCase.format,
		options: { ...testCase.options, files: ['jsonl'], ...overrides },
		exportId: `golden-${testCase.name}`,
		outDir,
		snapshotAt: '2026-03-02T00:00:00.000Z',
		quorumVersion: '0.1.0',
		stats: testCase.card,
	})
	return { outDir, manifest }
}

describe('golden JSONL', () => {
	for (const testCase of cases) {
		test(testCase.name, async () => {
			const { outDir } = await exportCase(testCase)
			const files = (await readdir(join(outDir, 'data'))).sort()
			expect(files.length).toBeGreaterThan(0)
			for (const file of files) {
				const content = await readFile(join(outDir, 'data', file), 'utf8')
				await expect(content).toMatchFileSnapshot(`./__golden__/${testCase.name}/${file}`)
			}
			if (testCase.card) {
				await expect(await readFile(join(outDir, 'README.md'), 'utf8')).toMatchFileSnapshot(
					`./__golden__/${testCase.name}/README.md`,
				)
				await expect(await readFile(join(outDir, 'manifest.json'), 'utf8')).toMatchFileSnapshot(
					`./__golden__/${testCase.name}/manifest.json`,
				)
			}
		})
	}

	test('gzip JSONL holds the same lines as plain JSONL', async () => {
		const testCase = cases[0]!
		const plain = await exportCase(testCase, { gzip: false }, 'plain')
		const gzipped = await exportCase(testCase, { gzip: true }, 'gzipped')
		const text = await readFile(join(plain.outDir, 'data/train-00000-of-00001.jsonl'), 'utf8')
		const compressed = await readFile(join(gzipped.outDir, 'data/train-00000-of-00001.jsonl.gz'))
		expect(gunzipSync(compressed).toString('utf8')).toBe(text)
		expect(gzipped.manifest.files.map((file) => file.path)).toEqual(['README.md', 'data/train-00000-of-00001.jsonl.gz'])
	})
})

describe('readsDetails', () => {
	// Sources leave the details out for formats that do not declare them: each format's rows must
	// not change when they are missing, and the formats that read them must be seen to.
	const optionSets: ExportOptionsInput[] = [
		{},
		{ ties: 'raw', style: 'conversational' },
		{ aggregation: 'consensus' },
		{ aggregation: 'dawid-skene' },
	]
	for (const format of Object.values(datasetFormats)) {
		test(`${format.name} declares ${format.readsDetails}`, () => {
			let differs = false
			for (const input of optionSets) {
				const options = ExportOptionsSchema.parse(input)
				for (const judgment of [...sourceJudgments, ...consensusJudgments, ...comparisonJudgments]) {
					const full = format.rowsFor({ judgment, options })
					const bare = format.rowsFor({ judgment: { ...judgment, ...NO_DETAILS }, options })
					if (JSON.stringify(full) !== JSON.stringify(bare)) differs = true
				}
			}
			expect(differs).toBe(format.readsDetails)
		})
	}
})
