import { field, messagesType, structOf } from '../fields.ts'
import { strictPairs } from '../pairs.ts'
import { assistantTurn, contextMessages } from '../render.ts'
import type { SkipCounts } from '../types.ts'
import type { DatasetFormat } from './format.ts'

export const openaiDpo: DatasetFormat = {
	name: 'openai-dpo',
	version: 1,
	title: 'OpenAI preference fine-tuning',
	summary:
		"OpenAI's preference (DPO) fine-tuning format: `input.messages`, `preferred_output`, `non_preferred_output`. Rows carry only these fields, since that is all the fine-tuning API accepts.",
	usesStyle: false,
	usesMargin: false,
	readsDetails: false,
	tieNote: () =>
		'The format has no way to express a tie, so tied pairs and both-bad judgments are always dropped, whatever the tie policy.',
	columns: () => [
		field(
			'input',
			structOf([{ name: 'messages', type: messagesType, nullable: false }]),
			'The conversation before the responses.',
		),
		field('preferred_output', messagesType, 'The preferred assistant turn.'),
		field('non_preferred_output', messagesType, 'The dispreferred assistant turn.'),
	],
	rowsFor: ({ judgment }) => {
		const skipped: SkipCounts = {}
		const messages = contextMessages(judgment.context)
		const rows = strictPairs({ judgment, skipped }).map((pair) => ({
			input: { messages },
			preferred_output: assistantTurn(pair.chosen.content),
			non_preferred_output: assistantTurn(pair.rejected.content),
		}))
		return { rows, skipped }
	},
	dedupeKey: (row) => [row.input ?? null, row.preferred_output ?? null, row.non_preferred_output ?? null],
	usage: () =>
		[
			'# Upload the uncompressed JSONL file (export with files: ["jsonl"], gzip: false).',
			'from openai import OpenAI',
			'',
			'client = OpenAI()',
			'train = client.files.create(file=open("{path}/data/train-00000-of-00001.jsonl", "rb"), purpose="fine-tune")',
			'client.fine_tuning.jobs.create(',
			'    model="<a base model that supports preference fine-tuning>",',
			'    training_file=train.id,',
			'    method={"type": "dpo", "dpo": {"hyperparameters": {"beta": 0.1}}},',
			')',
		].join('\n'),
}
