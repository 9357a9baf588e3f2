import { ANALYTICS_SEED, type CategoryBoard, type LeaderboardControls } from './analytics.types.ts'
import { createLeaderboardExtrasCollector } from './leaderboard-extras.ts'
import { streamLeaderboardItems } from './stream-leaderboard-items.server.ts'

/**
 * The style- and position-controlled leaderboards and the per-category ones, from a second read
 * of the project's judged items (the first, for every other figure, does not keep texts).
 */
export async function computeLeaderboardExtras({
	projectId,
	pairwise,
	comparison = null,
	criteria,
	battles,
	seed = ANALYTICS_SEED,
	includeModel = false,
}: {
	projectId: string
	pairwise: boolean
	/** Comparison projects: battles per (item, pair), self-identifying ones left out unless included. */
	comparison?: { includeSelfIdentified: boolean } | null
	criteria: string[]
	/** Battles on the plain leaderboard: with none, there is nothing to read. */
	battles: number
	seed?: number
	/** Whether AI judges' judgments count (the project's `judging.includeInAnalytics`). */
	includeModel?: boolean
}): Promise<{ controls: LeaderboardControls; categories: CategoryBoard[] }> {
	const collector = createLeaderboardExtrasCollector({ pairwise, comparison, seed, criteria })
	if (battles > 0)
		await streamLeaderboardItems({ projectId, includeModel, comparison: !!comparison, onItem: collector.addItem })
	return collector.finish()
}
