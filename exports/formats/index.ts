import { confidenceField } from '../fields.ts'
import type { ExportOptions } from '../options.ts'
import { ExportInputError, type Field } from '../types.ts'
import { arena } from './arena.ts'
import type { DatasetFormat, FormatName } from './format.ts'
import { hh } from './hh.ts'
import { openaiDpo } from './openai-dpo.ts'
import { raw } from './raw.ts'
import { sft } from './sft.ts'
import { trlKto } from './trl-kto.ts'
import { trlPreference } from './trl-preference.ts'

export type { DatasetFormat, FormatName, FormatOutput } from './format.ts'

export const datasetFormats: Record<FormatName, DatasetFormat> = {
	'trl-preference': trlPreference,
	'trl-kto': trlKto,
	'openai-dpo': openaiDpo,
	hh,
	sft,
	arena,
	raw,
}

export const formatNames = Object.keys(datasetFormats) as FormatName[]

export function getDatasetFormat({ name }: { name: string }): DatasetFormat {
	if (!Object.hasOwn(datasetFormats, name)) {
		throw new ExportInputError(`Unknown export format "${name}"; expected one of ${formatNames.join(', ')}`)
	}
	return datasetFormats[name as FormatName]
}

/**
 * The format's columns for these options: under `dawid-skene` aggregation every format gains the
 * item's `confidence` (the pipeline fills it), unless it has the column already.
 */
export function columnsFor({ format, options }: { format: DatasetFormat; options: ExportOptions }): Field[] {
	const columns = format.columns({ options })
	return addsConfidence({ format, options }) ? [...columns, confidenceField()] : columns
}

export function addsConfidence({ format, options }: { format: DatasetFormat; options: ExportOptions }) {
	return (
		options.aggregation === 'dawid-skene' && !format.columns({ options }).some((column) => column.name === 'confidence')
	)
}
