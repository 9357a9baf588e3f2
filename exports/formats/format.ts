import type { ExportOptions } from '../options.ts'
import type { Field, JsonValue, Row, SkipCounts, SourceJudgment } from '../types.ts'

export type FormatName = 'trl-preference' | 'trl-kto' | 'openai-dpo' | 'hh' | 'sft' | 'arena' | 'raw'

export type FormatOutput = { rows: Row[]; skipped: SkipCounts }

export type DatasetFormat = {
	name: FormatName
	/** Bumped whenever a row for the same input and options would change. */
	version: number
	title: string
	summary: string
	usesStyle: boolean
	usesMargin: boolean
	/**
	 * Whether rows use a judgment's details (display order, criteria, flags, rationale, active time,
	 * guideline version, revision, timestamps). Without them the source skips reading them and
	 * records carry NO_DETAILS; a test holds every format to what it declares.
	 */
	readsDetails: boolean
	/** Whether rows carry annotator reliabilities, which the source then estimates (Dawid–Skene). */
	readsReliability?: boolean
	/** How this format treats ties and both-bad, for the dataset card. */
	tieNote: (args: { options: ExportOptions }) => string
	columns: (args: { options: ExportOptions }) => Field[]
	rowsFor: (args: { judgment: SourceJudgment; options: ExportOptions }) => FormatOutput
	/** The values that make two rows duplicates; null for formats whose rows are never deduplicated. */
	dedupeKey: ((row: Row) => JsonValue) | null
	/** Python showing how to train on the dataset; `{path}` stands for the dataset folder. */
	usage: (args: { options: ExportOptions }) => string
}
