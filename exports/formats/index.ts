import { ExportInputError } from '../types.ts'
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
