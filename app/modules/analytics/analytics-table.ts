import type { CsvCell } from '#app/utils/csv.ts'
import type { AnalyticsTable } from './analytics.schema.ts'
import type { AnalyticsKind, SnapshotData } from './analytics.types.ts'
import { formatRanking } from './format-ranking.ts'

export const TABLE_KIND: Record<AnalyticsTable, AnalyticsKind> = {
	agreement: 'agreement',
	annotators: 'annotators',
	'annotator-pairs': 'annotators',
	'review-queue': 'review-queue',
	leaderboard: 'leaderboard',
	'model-pairs': 'leaderboard',
	'win-rates': 'leaderboard',
}

type Table = { header: string[]; rows: CsvCell[][] }

/** One of the analytics tables, as the header and rows of a download. */
export function analyticsTable({ table, data }: { table: AnalyticsTable; data: Partial<SnapshotData> }): Table {
	switch (table) {
		case 'agreement':
			return {
				header: [
					'figure',
					'key',
					'on',
					'statistic',
					'level',
					'value',
					'ci_low',
					'ci_high',
					'items',
					'units',
					'bootstrap_rounds',
					'note',
				],
				rows: (data.agreement?.figures ?? []).map((f) => [
					f.label,
					f.key,
					f.on,
					f.statistic,
					f.level,
					f.value,
					f.ciLow,
					f.ciHigh,
					f.items,
					f.units,
					f.bootstrapRounds,
					f.note,
				]),
			}
		case 'annotators':
			return {
				header: [
					'annotator',
					'user_id',
					'judgments',
					'loo_agreement',
					'loo_items',
					'gold_accuracy',
					'gold_judgments',
					'position_rate',
					'position_expected',
					'position_trials',
					'position_p',
					'length_rate',
					'length_trials',
					'length_p',
					'median_active_ms',
					'flags',
					'kind',
					'position_inconsistency',
					'human_consensus_items',
					'human_consensus_kappa',
					'human_consensus_kappa_ci_low',
					'human_consensus_kappa_ci_high',
					'human_consensus_percent',
					'human_consensus_percent_ci_low',
					'human_consensus_percent_ci_high',
				],
				rows: (data.annotators?.annotators ?? []).map((a) => [
					a.displayName,
					a.userId,
					a.judgments,
					a.looAgreement,
					a.looItems,
					a.goldAccuracy,
					a.goldJudgments,
					a.positionRate,
					a.positionExpected,
					a.positionTrials,
					a.positionP,
					a.lengthRate,
					a.lengthTrials,
					a.lengthP,
					a.medianActiveMs,
					a.flags.join(' '),
					a.kind ?? 'human',
					a.positionInconsistency ?? null,
					a.humanConsensus?.items ?? null,
					a.humanConsensus?.kappa ?? null,
					a.humanConsensus?.kappaCiLow ?? null,
					a.humanConsensus?.kappaCiHigh ?? null,
					a.humanConsensus?.percent ?? null,
					a.humanConsensus?.percentCiLow ?? null,
					a.humanConsensus?.percentCiHigh ?? null,
				]),
			}
		case 'annotator-pairs': {
			const names = new Map((data.annotators?.annotators ?? []).map((a) => [a.userId, a.displayName]))
			return {
				header: [
					'annotator_a',
					'annotator_b',
					'user_id_a',
					'user_id_b',
					'shared_items',
					'kappa',
					'kappa_linear',
					'kappa_quadratic',
				],
				rows: (data.annotators?.pairs ?? []).map((p) => [
					names.get(p.a) ?? '',
					names.get(p.b) ?? '',
					p.a,
					p.b,
					p.sharedItems,
					p.kappa,
					p.kappaLinear,
					p.kappaQuadratic,
				]),
			}
		}
		case 'review-queue':
			return {
				header: [
					'external_id',
					'item_id',
					'disagreement',
					'judgments',
					'answers',
					'consensus',
					'consensus_agreement',
					'adjudicated',
					'adjudicated_at',
					'prompt',
					'pair',
				],
				rows: (data['review-queue']?.items ?? []).map((e) => [
					e.externalId,
					e.itemId,
					e.disagreement,
					e.votes,
					e.answers.map((answer) => `${formatRanking(answer)} ×${answer.count}`).join('; '),
					formatRanking(e.consensus),
					e.consensus.agreement,
					e.adjudicated,
					e.adjudicatedAt,
					e.preview,
					e.pair ? e.pair.join(' vs ') : null,
				]),
			}
		case 'leaderboard':
			return {
				header: ['rank', 'model', 'rating', 'ci_low', 'ci_high', 'battles'],
				rows: (data.leaderboard?.rows ?? []).map((r) => [r.rank, r.model, r.rating, r.ciLow, r.ciHigh, r.battles]),
			}
		case 'model-pairs':
			return {
				header: ['model_a', 'model_b', 'battles', 'a_wins', 'b_wins', 'ties', 'both_bad'],
				rows: (data.leaderboard?.pairs ?? []).map((p) => [
					p.modelA,
					p.modelB,
					p.battles,
					p.aWins,
					p.bWins,
					p.ties,
					p.bothBad,
				]),
			}
		case 'win-rates': {
			const { models, matrix } = data.leaderboard?.winRates ?? { models: [], matrix: [] }
			return {
				header: ['model', 'opponent', 'win_rate'],
				rows: models.flatMap((model, i) =>
					models.flatMap((opponent, j) =>
						matrix[i]?.[j] === null || i === j ? [] : [[model, opponent, matrix[i]?.[j] ?? null]],
					),
				),
			}
		}
	}
}
