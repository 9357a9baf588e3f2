import type { JudgingSettings } from './judging.schema.ts'

/**
 * The settings page's hybrid-routing fields → the project's `judging` setting, keeping its other
 * keys. Unchecking "routing" removes it; "count AI judges" sets `includeInAnalytics`. Values stay as typed; the schema says what is wrong.
 */
export function judgingInputFromForm({ form, current }: { form: FormData; current: JudgingSettings }) {
	const number = (name: string) => {
		const value = String(form.get(name) ?? '').trim()
		return value === '' ? undefined : Number(value)
	}
	const includeInAnalytics = form.has('includeInAnalytics')
	if (!form.has('routingEnabled')) return { ...current, routing: null, includeInAnalytics }
	return {
		...current,
		includeInAnalytics,
		routing: {
			endpointId: String(form.get('routingEndpointId') ?? ''),
			confidence: number('routingConfidence'),
			overlapWhenJudgeSure: number('overlapWhenJudgeSure'),
		},
	}
}
