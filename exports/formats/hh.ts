import { agreementField, boolType, field, groupIdField, textType } from '../fields.ts'
import { groupIdFor, pairsUnderTiePolicy } from '../pairs.ts'
import { contextMessages, hhTranscript } from '../render.ts'
import type { Row, SkipCounts } from '../types.ts'
import type { DatasetFormat } from './format.ts'

export const hh: DatasetFormat = {
	name: 'hh',
	version: 1,
	title: 'Anthropic HH-RLHF transcripts',
	summary:
		'Full transcripts in the Anthropic HH-RLHF layout: `chosen` and `rejected` each hold the whole conversation with `\\n\\nHuman: ` and `\\n\\nAssistant: ` turns, ending with the response. A system prompt, which HH lacks, is written as plain text before the first Human turn.',
	usesStyle: false,
	usesMargin: false,
	readsDetails: false,
	tieNote: ({ options }) =>
		options.ties === 'drop'
			? 'Tied pairs and both-bad judgments were dropped.'
			: 'Tied pairs and both-bad judgments are kept with `tie: true`; their order is the stored tier order and carries no preference.',
	columns: ({ options }) => [
		field('chosen', textType, 'The transcript ending with the preferred response.'),
		field('rejected', textType, 'The transcript ending with the dispreferred response.'),
		...(options.ties === 'raw' ? [field('tie', boolType, 'True when the pair is a tie or both-bad.')] : []),
		groupIdField(),
		agreementField(),
	],
	rowsFor: ({ judgment, options }) => {
		const skipped: SkipCounts = {}
		const messages = contextMessages(judgment.context)
		const transcript = (content: string) => hhTranscript([...messages, { role: 'assistant', content }])
		const groupId = groupIdFor({ judgment })
		const rows = pairsUnderTiePolicy({ judgment, ties: options.ties, skipped }).map((pair) => {
			const row: Row = { chosen: transcript(pair.chosen.content), rejected: transcript(pair.rejected.content) }
			if (options.ties === 'raw') row.tie = pair.tie
			row.group_id = groupId
			row.agreement = judgment.agreement
			return row
		})
		return { rows, skipped }
	},
	dedupeKey: (row) => [row.chosen ?? null, row.rejected ?? null],
	usage: () =>
		[
			'from datasets import load_dataset',
			'',
			'dataset = load_dataset("{path}")',
			'row = dataset["train"][0]',
			'prompt = row["chosen"][: row["chosen"].rindex("\\n\\nAssistant:") + len("\\n\\nAssistant:")]',
		].join('\n'),
}
