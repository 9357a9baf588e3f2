// The shapes of the precomputed analytics stored in analytics_snapshots, shared by the server,
// the API and the pages. Numbers that are undefined (NaN) are stored as null.
import type { TaskType } from '#app/generated/prisma/enums.ts'

export const ANALYTICS_KINDS = ['agreement', 'annotators', 'leaderboard', 'review-queue', 'dawid-skene'] as const
export type AnalyticsKind = (typeof ANALYTICS_KINDS)[number]

/** Below this many judgments a missing snapshot is computed on the spot; above it, by the worker. */
export const SYNC_JUDGMENT_LIMIT = 50_000
export const ANALYTICS_SEED = 42
/** Arena's default number of bootstrap rounds for the leaderboard intervals. */
export const LEADERBOARD_BOOTSTRAP_ROUNDS = 100
/** Cohen's kappa is shown only for annotator pairs that judged at least this many items in common. */
export const MIN_SHARED_ITEMS = 5
/** The review queue keeps the most disputed open items, and the latest adjudicated ones. */
export const QUEUE_OPEN_LIMIT = 2000
export const QUEUE_ADJUDICATED_LIMIT = 500

/**
 * When an annotator is flagged. Speed: a median active time under FAST_ABSOLUTE_MS, or under
 * FAST_RELATIVE of the project's median, over at least MIN_TIMED judgments. Position bias: an exact
 * binomial test against chance (1/2 for pairs, 1/K for the first of K) with p < BIAS_P_VALUE
 * and a rate at least BIAS_MIN_EFFECT away from chance, over at least MIN_BIAS_TRIALS strict
 * choices. Length bias: the same test against the rest of the team's rate of preferring the
 * longer response (longer answers are often better, so the team is the baseline, not 1/2).
 */
export const QUALITY_THRESHOLDS = {
	fastAbsoluteMs: 3000,
	fastRelative: 0.25,
	minTimed: 5,
	biasPValue: 0.01,
	biasMinEffect: 0.1,
	minBiasTrials: 10,
	lowGoldAccuracy: 0.6,
	minGold: 5,
} as const

export type AgreementStatistic = 'krippendorff' | 'fleiss' | 'percent' | 'kendall-w'

export type AgreementFigure = {
	key: string
	label: string
	/** What the values are: choice, signed preference, implied pairs, a criterion. */
	on: string
	statistic: AgreementStatistic
	level: 'nominal' | 'ordinal' | 'interval' | null
	value: number | null
	ciLow: number | null
	ciHigh: number | null
	/** Items the figure rests on (with at least two judgments). */
	items: number
	/** Agreement units: items, (item, pair) or (item, response) units. */
	units: number
	bootstrapRounds: number
	note: string | null
}

export type AgreementSnapshot = {
	taskType: TaskType
	figures: AgreementFigure[]
	judgments: number
	goldJudgments: number
	items: number
	/** Comparison projects: the judged (item, pair) units, which `items` are split into (ADR 0024). */
	units?: number
	annotators: number
	seed: number
	confidence: 0.95
}

export type AnnotatorFlag = 'fast' | 'position-bias' | 'length-bias' | 'low-gold-accuracy'

/** An AI judge's agreement with the human consensus on the items both judged, with 95% bootstrap intervals. */
export type JudgeConsensusAgreement = {
	items: number
	/** Units compared: items (pairwise) or implied pairs (rankings). */
	units: number
	percent: number | null
	percentCiLow: number | null
	percentCiHigh: number | null
	kappa: number | null
	kappaCiLow: number | null
	kappaCiHigh: number | null
	bootstrapRounds: number
}

export type AnnotatorRow = {
	userId: string
	displayName: string
	/** A person, or an AI judge (snapshots computed before judges existed lack it: a person). */
	kind: 'human' | 'model'
	judgments: number
	/** Agreement with the consensus of the other annotators of the same items. */
	looAgreement: number | null
	looItems: number
	goldAccuracy: number | null
	goldJudgments: number
	/** Share of strict choices that went to the response shown first (left). */
	positionRate: number | null
	positionExpected: number | null
	positionTrials: number
	positionP: number | null
	/** Share of strict preferences between responses of different length that went to the longer one. */
	lengthRate: number | null
	lengthTrials: number
	/** Binomial test against the rest of the team's rate. */
	lengthP: number | null
	medianActiveMs: number | null
	timedJudgments: number
	flags: AnnotatorFlag[]
	/** AI judges only: share of its judgments whose two orders disagreed. */
	positionInconsistency?: number | null
	/** AI judges only: agreement with the human consensus. */
	humanConsensus?: JudgeConsensusAgreement | null
}

export type CohenPair = {
	a: string
	b: string
	sharedItems: number
	/** Unweighted, on choices (pairwise) or implied pairs (rankings). */
	kappa: number | null
	/** Linear and quadratic weights on the signed preference −3..+3 (pairwise only). */
	kappaLinear: number | null
	kappaQuadratic: number | null
}

export type AnnotatorsSnapshot = {
	annotators: AnnotatorRow[]
	pairs: CohenPair[]
	projectMedianActiveMs: number | null
	projectLengthRate: number | null
	randomizedOrder: boolean
	thresholds: typeof QUALITY_THRESHOLDS & { minSharedItems: number }
}

export type LeaderboardEntry = {
	model: string
	rating: number
	ciLow: number
	ciHigh: number
	battles: number
	rank: number
}

export type ModelPairRecord = {
	modelA: string
	modelB: string
	aWins: number
	bWins: number
	ties: number
	bothBad: number
	battles: number
}

export type LeaderboardSnapshot = {
	rows: LeaderboardEntry[]
	battles: number
	pairs: ModelPairRecord[]
	winRates: { models: string[]; matrix: (number | null)[][] }
	bootstrapRounds: number
	seed: number
	/** Judgments that gave no battle: responses without a model, or two responses of one model. */
	skippedJudgments: number
	/**
	 * Comparison projects: battles left out because a shown response names its own model or vendor
	 * (counted even when `included`, which says whether they are on the board).
	 */
	selfIdentified?: { battles: number; included: boolean }
	/** Style- and position-controlled leaderboards (absent in snapshots computed before them). */
	controls?: LeaderboardControls
	/** Leaderboards per value of a metadata field, and per rated criterion. */
	categories?: CategoryBoard[]
}

export type ControlKey = 'style' | 'position' | 'style-position'

export type CoefficientEntry = {
	feature: 'length' | 'headers' | 'lists' | 'bold' | 'position'
	/** On the Elo scale, per standard deviation of the feature; null when the feature never varies. */
	elo: number | null
	eloLow: number | null
	eloHigh: number | null
	/** β in log-odds, as FastChat reports it. */
	value: number | null
	/** The coefficient in words, for the page and the API. */
	description: string
}

export type ControlledBoard = {
	rows: LeaderboardEntry[]
	coefficients: CoefficientEntry[]
	battles: number
	bootstrapRounds: number
}

export type LeaderboardControls = {
	/** null when there are too few battles to fit. */
	style: ControlledBoard | null
	position: ControlledBoard | null
	'style-position': ControlledBoard | null
}

export type CategoryBoard = {
	/** `metadata.<field>` or `criterion.<name>`. */
	key: string
	label: string
	/** `sparse`: fewer battles than CATEGORY_MIN_BATTLES, shown greyed. */
	values: { value: string; battles: number; rows: LeaderboardEntry[]; sparse: boolean }[]
}

/** Categories with fewer battles than this are shown greyed: their intervals are too wide to read. */
export const CATEGORY_MIN_BATTLES = 100

export type StoredConsensus = {
	ranking: string[][]
	bothBad: boolean
	strength: number | null
	agreement: number | null
}

export type ReviewQueueEntry = {
	itemId: string
	/** Comparison projects: the (item, pair) unit's two keys, in stored order. */
	pair?: [string, string]
	externalId: string
	seq: number
	preview: string
	/** Disagreement among the annotators, 0 (all agree) to 1. */
	disagreement: number
	votes: number
	/** Identical answers grouped: [{ranking, bothBad, count}], most frequent first. */
	answers: { ranking: string[][]; bothBad: boolean; count: number }[]
	consensus: StoredConsensus
	adjudicated: boolean
	adjudicatedAt: string | null
}

export type ReviewQueueSnapshot = {
	/** Disputed items (two or more judgments that do not all agree) without an adjudication. */
	openCount: number
	adjudicatedCount: number
	items: ReviewQueueEntry[]
	limits: { open: number; adjudicated: number }
	updatedAt: string
}

export type SnapshotData = {
	agreement: AgreementSnapshot
	annotators: AnnotatorsSnapshot
	leaderboard: LeaderboardSnapshot
	'review-queue': ReviewQueueSnapshot
	'dawid-skene': DawidSkeneSnapshot
}

/**
 * Dawid–Skene reporting. An annotator is near chance when their reliability is within
 * nearChanceMargin of what labelling blind with their own label frequencies would score, over at
 * least minJudgments judgments. An item is uncertain under `confident`. The snapshot keeps the
 * items where Dawid–Skene and the majority disagree, then the least confident, up to itemLimit.
 */
export const DAWID_SKENE_THRESHOLDS = {
	nearChanceMargin: 0.1,
	minJudgments: 10,
	confident: 0.9,
	itemLimit: 1000,
} as const

export type DawidSkeneAnnotator = {
	userId: string
	displayName: string
	judgments: number
	/** Σ_k prior[k]·conf[k,k]: the chance that this annotator's label is the true class. */
	reliability: number
	/** The same for an annotator labelling blind with this one's label frequencies. */
	chance: number
	nearChance: boolean
}

export type DawidSkeneItem = {
	itemId: string
	externalId: string
	/** Comparison projects: the (item, pair) unit's two keys, in stored order. */
	pair?: [string, string]
	/** Dawid–Skene's answer; for rankings, the responses ordered by their pairwise wins. */
	consensus: { ranking: string[][]; bothBad: boolean }
	/** max T of the item's unit; for rankings, the least confident of its pairs. */
	confidence: number
	/** The plain majority vote (the lowest class on ties), for comparison. */
	majority: { ranking: string[][]; bothBad: boolean }
	/** The majority has a strict winner that differs from Dawid–Skene's (on some pair, for rankings). */
	disagrees: boolean
	votes: number
}

export type DawidSkeneSnapshot = {
	taskType: TaskType
	/** The classes of a unit: the choice (pairwise) or an implied pair (rankings). */
	classes: string[]
	prior: number[]
	iterations: number
	converged: boolean
	units: number
	/** Items reported on (gold items are units, clamped, but not reported). */
	items: number
	judgments: number
	annotators: DawidSkeneAnnotator[]
	disagreeCount: number
	uncertainCount: number
	itemList: DawidSkeneItem[]
	thresholds: typeof DAWID_SKENE_THRESHOLDS
}
