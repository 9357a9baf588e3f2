import type { AnnotatorsSnapshot } from './analytics.types.ts'

/** Snapshots computed before AI judges existed have rows without `kind`: they are people. */
export function withKinds(snapshot: AnnotatorsSnapshot): AnnotatorsSnapshot {
	return { ...snapshot, annotators: snapshot.annotators.map((row) => ({ ...row, kind: row.kind ?? 'human' })) }
}
