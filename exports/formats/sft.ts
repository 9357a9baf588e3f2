import { agreementField, field, groupIdField, messagesType } from '../fields.ts'
import { countSkip, groupIdFor, rankedTiers } from '../pairs.ts'
import { contextMessages } from '../render.ts'
import type { SkipCounts } from '../types.ts'
import type { DatasetFormat } from './format.ts'

export const sft: DatasetFormat = {
	name: 'sft',
	version: 1,
	title: 'Supervised fine-tuning conversations',
	summary:
		'Conversations for supervised fine-tuning (TRL `SFTTrainer`): `messages` is the context followed by the preferred response as an assistant turn. When several responses share the top tier, each gives a row.',
	usesStyle: false,
	usesMargin: false,
	readsDetails: false,
	tieNote: () =>
		'Judgments marked both-bad, or whose responses are all tied, name no preferred response and give no rows, whatever the tie policy.',
	columns: () => [
		field('messages', messagesType, 'The context, then the preferred response as an assistant turn.'),
		groupIdField(),
		agreementField(),
	],
	rowsFor: ({ judgment }) => {
		const skipped: SkipCounts = {}
		const tiers = rankedTiers({ judgment })
		if (judgment.bothBad) {
			countSkip(skipped, 'both-bad')
			return { rows: [], skipped }
		}
		if (tiers.length < 2) {
			countSkip(skipped, 'all-tied')
			return { rows: [], skipped }
		}
		const messages = contextMessages(judgment.context)
		const groupId = groupIdFor({ judgment })
		const rows = (tiers[0] ?? []).map((response) => ({
			messages: [...messages, { role: 'assistant', content: response.content }],
			group_id: groupId,
			agreement: judgment.agreement,
		}))
		return { rows, skipped }
	},
	dedupeKey: (row) => row.messages ?? null,
	usage: () =>
		[
			'from datasets import load_dataset',
			'from trl import SFTConfig, SFTTrainer',
			'',
			'dataset = load_dataset("{path}")',
			'trainer = SFTTrainer(model=model, args=SFTConfig(output_dir="sft"), train_dataset=dataset["train"])',
			'trainer.train()',
		].join('\n'),
}
