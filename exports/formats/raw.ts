import {
	boolType,
	confidenceField,
	field,
	float64Type,
	int32Type,
	int64Type,
	listOf,
	messagesType,
	stringType,
	textType,
	structOf,
} from '../fields.ts'
import type { DatasetFormat } from './format.ts'

const responsesType = listOf(
	structOf([
		{ name: 'id', type: stringType, nullable: false },
		{ name: 'model', type: stringType, nullable: true },
		{ name: 'content', type: textType, nullable: false },
	]),
)

const nullable = { nullable: true }

export const raw: DatasetFormat = {
	name: 'raw',
	version: 3,
	title: 'Raw judgments',
	summary:
		'One row per judgment (or per item under consensus aggregation) with everything recorded: who made it (a person or an AI judge), context, responses in stored order, display order, ranking tiers, both-bad, strength, criteria, flags, rationale, active time, guideline version, timestamps, revision, adjudication, and the Dawid–Skene item confidence and annotator reliability. `criteria` and `flags` are JSON-encoded strings, since their keys vary by project; timestamps are the ISO 8601 strings as stored.',
	usesStyle: false,
	usesMargin: false,
	readsDetails: true,
	readsReliability: true,
	tieNote: () => 'Lossless: ties and both-bad judgments are kept as recorded, whatever the tie policy.',
	columns: () => [
		field('judgment_id', stringType, 'The judgment; null for consensus rows.', nullable),
		field('item_id', stringType, 'The item.'),
		field('external_id', stringType, "The item's external id from the import."),
		field('annotator', stringType, 'The annotator pseudonym; null for consensus rows.', nullable),
		field('source', stringType, '"human" or "model" (an AI judge); null for consensus rows.', nullable),
		field('prompt', textType, 'The prompt, when the context is a single prompt.', nullable),
		field('messages', messagesType, 'The conversation, when the context is a list of messages.', nullable),
		field('responses', responsesType, 'The responses in stored order.'),
		field('display_order', listOf(stringType), 'Response ids in the order shown to the annotator.'),
		field('ranking', listOf(listOf(stringType)), 'Tiers of response ids, best first; a tie shares a tier.'),
		field('both_bad', boolType, 'Pairwise: both responses were judged bad.'),
		field('strength', int32Type, 'Pairwise strength 0..3 (negligible, slight, clear, significant).', nullable),
		field('criteria', stringType, 'JSON: criterion → response id → rating.', nullable),
		field('flags', stringType, 'JSON: response id → flags.', nullable),
		field('rationale', textType, "The annotator's rationale.", nullable),
		field('active_ms', int64Type, 'Active time on task in milliseconds.', nullable),
		field('guideline_version', int32Type, 'The guidelines version the judgment was made under.', nullable),
		field('agreement', float64Type, "The item's agreement score (0..1).", nullable),
		confidenceField(),
		field(
			'annotator_reliability',
			float64Type,
			"The annotator's Dawid–Skene reliability in the project: the estimated chance their answer is the true one (0..1); null for consensus rows.",
			nullable,
		),
		field('adjudicated', boolType, 'A reviewer adjudicated the item.'),
		field('revision', int32Type, 'The revision of the judgment.'),
		field('created_at', stringType, 'ISO 8601.'),
		field('updated_at', stringType, 'ISO 8601.'),
	],
	rowsFor: ({ judgment }) => {
		const row = {
			judgment_id: judgment.judgmentId,
			item_id: judgment.itemId,
			external_id: judgment.externalId,
			annotator: judgment.annotator,
			source: judgment.judgmentId === null ? null : (judgment.source ?? 'human'),
			prompt: 'prompt' in judgment.context ? judgment.context.prompt : null,
			messages:
				'messages' in judgment.context
					? judgment.context.messages.map(({ role, content }) => ({ role, content }))
					: null,
			responses: judgment.responses.map((r) => ({ id: r.id, model: r.model, content: r.content })),
			display_order: judgment.displayOrder,
			ranking: judgment.ranking,
			both_bad: judgment.bothBad,
			strength: judgment.strength,
			criteria: judgment.criteria === null ? null : JSON.stringify(judgment.criteria),
			flags: judgment.flags === null ? null : JSON.stringify(judgment.flags),
			rationale: judgment.rationale,
			active_ms: judgment.activeMs,
			guideline_version: judgment.guidelineVersion,
			agreement: judgment.agreement,
			confidence: judgment.confidence,
			annotator_reliability: judgment.annotatorReliability,
			adjudicated: judgment.adjudicated,
			revision: judgment.revision,
			created_at: judgment.createdAt,
			updated_at: judgment.updatedAt,
		}
		return { rows: [row], skipped: {} }
	},
	dedupeKey: null,
	usage: () =>
		[
			'import json',
			'from datasets import load_dataset',
			'',
			'judgments = load_dataset("{path}", split="train")',
			'criteria = [json.loads(c) if c else None for c in judgments["criteria"]]',
		].join('\n'),
}
