import type { Field, FieldType } from './types.ts'

export const stringType: FieldType = { kind: 'string' }
/**
 * Prompts, responses and transcripts. Their Parquet columns carry no min/max statistics: bounds on
 * long unsorted text never let a reader skip a row group, and computing them costs a comparison of
 * every value.
 */
export const textType: FieldType = { kind: 'string', text: true }
export const boolType: FieldType = { kind: 'bool' }
export const int32Type: FieldType = { kind: 'int32' }
export const int64Type: FieldType = { kind: 'int64' }
export const float64Type: FieldType = { kind: 'float64' }

export function listOf(element: FieldType): FieldType {
	return { kind: 'list', element }
}

export function structOf(fields: Field[]): FieldType {
	return { kind: 'struct', fields }
}

export const messagesType = listOf(
	structOf([
		{ name: 'role', type: stringType, nullable: false },
		{ name: 'content', type: textType, nullable: false },
	]),
)

export function field(name: string, type: FieldType, description: string, { nullable = false } = {}): Field {
	return { name, type, nullable, description }
}

export function groupIdField(): Field {
	return field(
		'group_id',
		stringType,
		'Rows from one ranking share it: the item external id, plus `:` and the judgment id for per-judgment rows.',
	)
}

export function agreementField(): Field {
	return field('agreement', float64Type, "The item's agreement score (0..1), null when not computed.", {
		nullable: true,
	})
}

export function confidenceField(): Field {
	return field(
		'confidence',
		float64Type,
		"The Dawid–Skene posterior probability of the item's exported answer (0..1; 1 when adjudicated), null when not estimated.",
		{ nullable: true },
	)
}
