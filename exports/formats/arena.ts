import { agreementField, field, float64Type, groupIdField, stringType } from '../fields.ts'
import { countSkip, groupIdFor, pairsUnderTiePolicy } from '../pairs.ts'
import type { SkipCounts, SourceJudgment, SourceResponse } from '../types.ts'
import type { DatasetFormat } from './format.ts'

/** The position the annotator saw: display order when recorded, stored order otherwise. */
function positionOf(judgment: SourceJudgment, response: SourceResponse) {
	const shown = judgment.displayOrder.indexOf(response.id)
	if (shown >= 0 && judgment.displayOrder.length === judgment.responses.length) return shown
	return judgment.responses.indexOf(response)
}

export const arena: DatasetFormat = {
	name: 'arena',
	version: 1,
	title: 'Chatbot Arena battles',
	summary:
		'Battles in the Chatbot Arena layout, one per implied pair: `model_a` is the response shown first, `model_b` the other, and `winner` is `model_a`, `model_b`, `tie` or `tie (bothbad)`. Ready for Bradley–Terry / Elo fitting.',
	usesStyle: false,
	usesMargin: false,
	readsDetails: true,
	tieNote: ({ options }) =>
		options.ties === 'drop'
			? 'Tied pairs and both-bad judgments were dropped; export with `ties: raw` to keep them as `tie` and `tie (bothbad)` battles.'
			: 'Tied pairs are `tie` battles and both-bad judgments `tie (bothbad)` battles.',
	columns: () => [
		groupIdField(),
		field('model_a', stringType, 'The model whose response was shown first.'),
		field('model_b', stringType, 'The model whose response was shown second.'),
		field('winner', stringType, 'One of `model_a`, `model_b`, `tie`, `tie (bothbad)`.'),
		field('judge', stringType, 'The annotator pseudonym; null for consensus rows.', { nullable: true }),
		field('tstamp', float64Type, 'When the judgment was last revised, in Unix seconds.'),
		agreementField(),
	],
	rowsFor: ({ judgment, options }) => {
		const skipped: SkipCounts = {}
		const groupId = groupIdFor({ judgment })
		const tstamp = Date.parse(judgment.updatedAt) / 1000
		const rows = []
		for (const pair of pairsUnderTiePolicy({ judgment, ties: options.ties, skipped })) {
			const { chosen, rejected } = pair
			if (chosen.model === null || rejected.model === null) {
				countSkip(skipped, 'missing-model')
				continue
			}
			if (chosen.model === rejected.model) {
				countSkip(skipped, 'same-model')
				continue
			}
			const chosenFirst = positionOf(judgment, chosen) < positionOf(judgment, rejected)
			const [a, b] = chosenFirst ? [chosen, rejected] : [rejected, chosen]
			const winner = pair.bothBad ? 'tie (bothbad)' : pair.tie ? 'tie' : chosenFirst ? 'model_a' : 'model_b'
			rows.push({
				group_id: groupId,
				model_a: a.model!,
				model_b: b.model!,
				winner,
				judge: judgment.annotator,
				tstamp,
				agreement: judgment.agreement,
			})
		}
		return { rows, skipped }
	},
	dedupeKey: null,
	usage: () =>
		[
			'from datasets import load_dataset',
			'',
			'battles = load_dataset("{path}", split="train").to_pandas()',
			'# Fit Bradley-Terry as in the Chatbot Arena notebook: ties count half a win for each side.',
		].join('\n'),
}
