import { judgingSettings } from '#app/modules/judging/judging.schema.ts'

/**
 * What the readers need from `projects.judging`: whether AI judges' judgments count in the human
 * figures (off unless the project asks), and whether hybrid routing is on. Unreadable settings
 * read as the defaults, so a malformed column never lets model judgments into human figures.
 */
export function readJudging(value: unknown): { includeInAnalytics: boolean; routing: boolean } {
	const settings = judgingSettings(value)
	return { includeInAnalytics: settings.includeInAnalytics === true, routing: Boolean(settings.routing) }
}
