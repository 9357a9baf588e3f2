import { agreementField, boolType, field, float64Type, groupIdField, messagesType, textType } from '../fields.ts'
import { groupIdFor, marginFor, pairsUnderTiePolicy } from '../pairs.ts'
import { assistantTurn, contextMessages, standardCompletion, standardPrompt } from '../render.ts'
import type { Field, Row, SkipCounts } from '../types.ts'
import type { DatasetFormat } from './format.ts'

export const trlPreference: DatasetFormat = {
	name: 'trl-preference',
	version: 2,
	title: 'TRL preference (DPO, reward modeling)',
	summary:
		'Preference pairs for Hugging Face TRL (`DPOTrainer`, `RewardTrainer` and the other preference trainers): `prompt`, `chosen`, `rejected`, and the models that wrote them.',
	usesStyle: true,
	usesMargin: true,
	readsDetails: false,
	tieNote: ({ options }) =>
		options.ties === 'drop'
			? 'Tied pairs and both-bad judgments were dropped: a preference pair needs a winner.'
			: 'Tied pairs and both-bad judgments are kept with `tie: true`; their `chosen`/`rejected` order is the stored tier order and carries no preference. Filter them out before DPO training.',
	columns: ({ options }) => {
		const completion = options.style === 'conversational' ? messagesType : textType
		const columns: Field[] = [
			field('prompt', completion, 'The prompt, or the conversation before the responses.'),
			field('chosen', completion, 'The preferred response.'),
			field('rejected', completion, 'The dispreferred response.'),
			field('chosen_model', textType, 'The model that wrote the preferred response, when known.', { nullable: true }),
			field('rejected_model', textType, 'The model that wrote the dispreferred response, when known.', {
				nullable: true,
			}),
		]
		if (options.margin !== 'none') {
			columns.push(
				field(
					'margin',
					float64Type,
					`Llama 2 margin (${options.margin}) from the pairwise strength; 0 for ties, null for rankings of more than two responses.`,
					{ nullable: true },
				),
			)
		}
		if (options.ties === 'raw') columns.push(field('tie', boolType, 'True when the pair is a tie or both-bad.'))
		columns.push(groupIdField(), agreementField())
		return columns
	},
	rowsFor: ({ judgment, options }) => {
		const skipped: SkipCounts = {}
		const pairs = pairsUnderTiePolicy({ judgment, ties: options.ties, skipped })
		const conversational = options.style === 'conversational'
		const prompt = conversational ? contextMessages(judgment.context) : standardPrompt(judgment.context)
		const groupId = groupIdFor({ judgment })
		const margin = options.margin
		const rows: Row[] = new Array(pairs.length)
		for (let index = 0; index < pairs.length; index++) {
			const pair = pairs[index]!
			const chosen = conversational
				? assistantTurn(pair.chosen.content)
				: standardCompletion(judgment.context, pair.chosen.content)
			const rejected = conversational
				? assistantTurn(pair.rejected.content)
				: standardCompletion(judgment.context, pair.rejected.content)
			if (margin === 'none' && options.ties !== 'raw') {
				// The default shape as one literal: keys added one by one would move out of the object.
				rows[index] = {
					prompt,
					chosen,
					rejected,
					chosen_model: pair.chosen.model,
					rejected_model: pair.rejected.model,
					group_id: groupId,
					agreement: judgment.agreement,
				}
				continue
			}
			const row: Row = {
				prompt,
				chosen,
				rejected,
				chosen_model: pair.chosen.model,
				rejected_model: pair.rejected.model,
			}
			if (margin !== 'none') row.margin = marginFor({ judgment, pair, margin })
			if (options.ties === 'raw') row.tie = pair.tie
			row.group_id = groupId
			row.agreement = judgment.agreement
			rows[index] = row
		}
		return { rows, skipped }
	},
	dedupeKey: (row) => [row.prompt ?? null, row.chosen ?? null, row.rejected ?? null],
	usage: ({ options }) => {
		const filters = [
			...(options.ties === 'raw' ? ['not row["tie"]'] : []),
			...(options.margin !== 'none' ? ['row["margin"] is not None'] : []),
		]
		const load = [
			'dataset = load_dataset("{path}")',
			...(filters.length > 0 ? [`dataset = dataset.filter(lambda row: ${filters.join(' and ')})`] : []),
		]
		if (options.margin !== 'none') {
			return [
				'from datasets import load_dataset',
				'from trl import RewardConfig, RewardTrainer',
				'',
				...load,
				'# RewardTrainer subtracts `margin` inside its loss, as in Llama 2; DPOTrainer ignores the column.',
				'trainer = RewardTrainer(',
				'    model=model,',
				'    args=RewardConfig(output_dir="reward"),',
				'    train_dataset=dataset["train"],',
				'    processing_class=tokenizer,',
				')',
				'trainer.train()',
			].join('\n')
		}
		return [
			'from datasets import load_dataset',
			'from trl import DPOConfig, DPOTrainer',
			'',
			...load,
			'trainer = DPOTrainer(',
			'    model=model,',
			'    args=DPOConfig(output_dir="dpo"),',
			'    train_dataset=dataset["train"],',
			'    processing_class=tokenizer,',
			')',
			'trainer.train()',
		].join('\n')
	},
}
