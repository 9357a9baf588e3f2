import { agreementField, boolType, field, groupIdField, messagesType, textType } from '../fields.ts'
import { countSkip, groupIdFor, impliedPairs } from '../pairs.ts'
import { assistantTurn, contextMessages, standardCompletion, standardPrompt } from '../render.ts'
import type { SkipCounts, SourceResponse } from '../types.ts'
import type { DatasetFormat } from './format.ts'

export const trlKto: DatasetFormat = {
	name: 'trl-kto',
	version: 1,
	title: 'TRL unpaired preference (KTO)',
	summary:
		"Unpaired preference rows for TRL's `KTOTrainer`: `prompt`, `completion` and a boolean `label` (true = desirable). Each implied pair gives its chosen response `true` and its rejected response `false`, as TRL's `unpair_preference_dataset` does, once per judgment.",
	usesStyle: true,
	usesMargin: false,
	readsDetails: false,
	tieNote: ({ options }) =>
		options.ties === 'drop'
			? 'Tied pairs and both-bad judgments were dropped. A response in a middle tier of a ranking is desirable against the responses below it and undesirable against those above, so it can appear with both labels.'
			: 'Both-bad judgments give each response `label: false`. A tie carries no label and yields no rows. A response in a middle tier of a ranking can appear with both labels.',
	columns: ({ options }) => {
		const text = options.style === 'conversational' ? messagesType : textType
		return [
			field('prompt', text, 'The prompt, or the conversation before the response.'),
			field('completion', text, 'One response.'),
			field('label', boolType, 'True when the response was preferred in a pair, false when it lost or was judged bad.'),
			groupIdField(),
			agreementField(),
		]
	},
	rowsFor: ({ judgment, options }) => {
		const skipped: SkipCounts = {}
		const labelled: Array<{ response: SourceResponse; label: boolean }> = []
		const seen = new Set<string>()
		const add = (response: SourceResponse, label: boolean) => {
			const key = `${label}:${response.id}`
			if (seen.has(key)) return
			seen.add(key)
			labelled.push({ response, label })
		}
		for (const pair of impliedPairs({ judgment })) {
			if (pair.bothBad && options.ties === 'raw') {
				add(pair.chosen, false)
				add(pair.rejected, false)
			} else if (pair.tie) {
				countSkip(skipped, pair.bothBad ? 'both-bad' : 'tie')
			} else {
				add(pair.chosen, true)
				add(pair.rejected, false)
			}
		}
		const conversational = options.style === 'conversational'
		const prompt = conversational ? contextMessages(judgment.context) : standardPrompt(judgment.context)
		const groupId = groupIdFor({ judgment })
		const rows = labelled.map(({ response, label }) => ({
			prompt,
			completion: conversational
				? assistantTurn(response.content)
				: standardCompletion(judgment.context, response.content),
			label,
			group_id: groupId,
			agreement: judgment.agreement,
		}))
		return { rows, skipped }
	},
	dedupeKey: (row) => [row.prompt ?? null, row.completion ?? null, row.label ?? null],
	usage: () =>
		[
			'from datasets import load_dataset',
			'from trl import KTOConfig, KTOTrainer',
			'',
			'dataset = load_dataset("{path}")',
			'trainer = KTOTrainer(',
			'    model=model,',
			'    args=KTOConfig(output_dir="kto"),',
			'    train_dataset=dataset["train"],',
			'    processing_class=tokenizer,',
			')',
			'trainer.train()',
		].join('\n'),
}
