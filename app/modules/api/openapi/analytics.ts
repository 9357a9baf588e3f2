import { authErrors, jsonBody, problemResponse, slugParam } from './common.ts'
import { ReviewQueueQuerySchema } from '#app/modules/analytics/analytics.schema.ts'
import { queryParameters, schemaRef } from './schemas.ts'

const nullableNumber = { type: ['number', 'null'] }
const ranking = {
	type: 'array',
	items: { type: 'array', items: { type: 'string' } },
	description: 'Tiers of response ids, best first; a tie shares a tier',
}
const pending = {
	description: 'Not computed yet (a large project waits for the worker); try again shortly',
	content: {
		'application/json': {
			schema: {
				type: 'object',
				properties: { status: { const: 'pending' }, computedAt: { type: 'null' }, detail: { type: 'string' } },
			},
		},
	},
}
const readErrors = {
	...authErrors,
	'404': { ...problemResponse, description: 'No such project, or not one the caller reviews' },
}
const computed = {
	status: { type: 'string', enum: ['ready'] },
	computedAt: {
		type: 'string',
		format: 'date-time',
		description: 'When the snapshot was computed (the worker refreshes it)',
	},
}

const figure = {
	type: 'object',
	properties: {
		key: {
			type: 'string',
			examples: ['choice-nominal', 'preference-ordinal', 'pairs-nominal', 'kendall-w', 'criterion:helpfulness'],
		},
		label: { type: 'string' },
		on: { type: 'string', description: 'What the values are' },
		statistic: { type: 'string', enum: ['krippendorff', 'fleiss', 'percent', 'kendall-w'] },
		level: { type: ['string', 'null'], enum: ['nominal', 'ordinal', 'interval', null] },
		value: { ...nullableNumber, description: 'null when undefined (no variation, or too few items)' },
		ciLow: { ...nullableNumber, description: '95% percentile bootstrap interval over items (seeded)' },
		ciHigh: nullableNumber,
		items: { type: 'integer', description: 'Items the figure rests on' },
		units: { type: 'integer' },
		bootstrapRounds: { type: 'integer' },
		note: { type: ['string', 'null'] },
	},
}

const judgeConsensus = {
	type: ['object', 'null'],
	description:
		"An AI judge's agreement with the human consensus (the adjudication where there is one) on the non-gold items both judged, with 95% item-bootstrap intervals; null until they share an item",
	properties: {
		items: { type: 'integer' },
		units: { type: 'integer', description: 'Items (pairwise) or implied pairs (rankings) compared' },
		percent: nullableNumber,
		percentCiLow: nullableNumber,
		percentCiHigh: nullableNumber,
		kappa: { ...nullableNumber, description: "Cohen's kappa (unweighted) on choices or implied pairs" },
		kappaCiLow: nullableNumber,
		kappaCiHigh: nullableNumber,
		bootstrapRounds: { type: 'integer' },
	},
}

const annotator = {
	type: 'object',
	properties: {
		userId: { type: 'string', format: 'uuid' },
		displayName: { type: 'string' },
		kind: {
			type: 'string',
			enum: ['human', 'model'],
			description:
				"A person, or an AI judge (a user of kind model). Judges are measured by the same statistics but never enter the human consensus or agreement unless the project's judging.includeInAnalytics is on",
		},
		positionInconsistency: {
			...nullableNumber,
			description:
				'AI judges only: share of its judgments whose two orders (A|B and B|A) disagreed, stored as position-inconsistent ties',
		},
		humanConsensus: judgeConsensus,
		judgments: { type: 'integer' },
		looAgreement: {
			...nullableNumber,
			description: 'Agreement with the consensus of the other annotators of the same items',
		},
		looItems: { type: 'integer' },
		goldAccuracy: nullableNumber,
		goldJudgments: { type: 'integer' },
		positionRate: {
			...nullableNumber,
			description:
				"Share of strict choices that went to the response shown first; for an AI judge, over its calls' verdicts in both orders",
		},
		positionExpected: nullableNumber,
		positionTrials: { type: 'integer' },
		positionP: { ...nullableNumber, description: 'Exact two-sided binomial test against positionExpected' },
		lengthRate: { ...nullableNumber, description: 'Share of strict preferences that went to the longer response' },
		lengthTrials: { type: 'integer' },
		lengthP: { ...nullableNumber, description: "Binomial test against the rest of the team's rate" },
		medianActiveMs: nullableNumber,
		timedJudgments: { type: 'integer' },
		flags: {
			type: 'array',
			items: { type: 'string', enum: ['fast', 'position-bias', 'length-bias', 'low-gold-accuracy'] },
		},
	},
}

const queueEntry = {
	type: 'object',
	properties: {
		itemId: { type: 'string', format: 'uuid' },
		externalId: { type: 'string' },
		preview: { type: 'string', description: 'The start of the prompt, as plain text' },
		disagreement: { type: 'number', minimum: 0, maximum: 1 },
		votes: { type: 'integer' },
		answers: {
			type: 'array',
			items: { type: 'object', properties: { ranking, bothBad: { type: 'boolean' }, count: { type: 'integer' } } },
		},
		consensus: {
			type: 'object',
			properties: {
				ranking,
				bothBad: { type: 'boolean' },
				strength: { type: ['integer', 'null'] },
				agreement: nullableNumber,
			},
		},
		adjudicated: { type: 'boolean' },
		adjudicatedAt: { type: ['string', 'null'], format: 'date-time' },
		pair: {
			type: 'array',
			items: { type: 'string' },
			description: 'Comparison projects: the two response keys of the disputed (item, pair) unit, in stored order',
		},
	},
}

export const analyticsPaths: Record<string, Record<string, unknown>> = {
	'/projects/{slug}/agreement': {
		get: {
			summary:
				'Agreement figures with 95% bootstrap intervals and the items each rests on (engineers, reviewers, admins)',
			description:
				'Gold items are left out. Pairwise: Krippendorff alpha (nominal) on the choice, percent agreement, Fleiss kappa, alpha (ordinal, interval) on the signed preference −3..+3. Rankings: alpha and percent agreement on implied pairs, Fleiss kappa, Kendall W. Each criterion: interval alpha.',
			operationId: 'getAgreement',
			parameters: [slugParam],
			responses: {
				'200': jsonBody(
					{
						type: 'object',
						properties: {
							...computed,
							taskType: schemaRef('TaskType'),
							figures: { type: 'array', items: figure },
							judgments: { type: 'integer' },
							goldJudgments: { type: 'integer' },
							items: { type: 'integer' },
							annotators: { type: 'integer' },
							seed: { type: 'integer' },
						},
					},
					'The figures',
				),
				'202': pending,
				...readErrors,
			},
		},
	},
	'/projects/{slug}/annotators': {
		get: {
			summary: "Per-annotator quality (AI judges too, with kind model) and Cohen's kappa between annotator pairs",
			operationId: 'getAnnotatorQuality',
			parameters: [slugParam],
			responses: {
				'200': jsonBody(
					{
						type: 'object',
						properties: {
							...computed,
							annotators: { type: 'array', items: annotator },
							pairs: {
								type: 'array',
								description: 'Pairs that judged at least thresholds.minSharedItems items in common',
								items: {
									type: 'object',
									properties: {
										a: { type: 'string', format: 'uuid' },
										b: { type: 'string', format: 'uuid' },
										sharedItems: { type: 'integer' },
										kappa: nullableNumber,
										kappaLinear: {
											...nullableNumber,
											description: 'Linear weights on the signed preference (pairwise)',
										},
										kappaQuadratic: {
											...nullableNumber,
											description: 'Quadratic weights on the signed preference (pairwise)',
										},
									},
								},
							},
							projectMedianActiveMs: nullableNumber,
							projectLengthRate: nullableNumber,
							randomizedOrder: { type: 'boolean' },
							thresholds: { type: 'object', description: 'When annotators are flagged' },
						},
					},
					'The table',
				),
				'202': pending,
				...readErrors,
			},
		},
	},
	'/projects/{slug}/leaderboard': {
		get: {
			summary: 'Bradley–Terry ratings of the responses’ models on the Elo scale, as Chatbot Arena computes them',
			description:
				'Battles come from judgments: a pairwise choice, or every pair a ranking implies; tie and both-bad count half. Intervals: 95% bootstrap over battles.',
			operationId: 'getLeaderboard',
			parameters: [slugParam],
			responses: {
				'200': jsonBody(
					{
						type: 'object',
						properties: {
							...computed,
							rows: {
								type: 'array',
								items: {
									type: 'object',
									properties: {
										model: { type: 'string' },
										rating: { type: 'number' },
										ciLow: { type: 'number' },
										ciHigh: { type: 'number' },
										battles: { type: 'integer' },
										rank: { type: 'integer' },
									},
								},
							},
							battles: { type: 'integer' },
							pairs: {
								type: 'array',
								items: {
									type: 'object',
									properties: {
										modelA: { type: 'string' },
										modelB: { type: 'string' },
										aWins: { type: 'integer' },
										bWins: { type: 'integer' },
										ties: { type: 'integer' },
										bothBad: { type: 'integer' },
										battles: { type: 'integer' },
									},
								},
							},
							winRates: {
								type: 'object',
								properties: {
									models: { type: 'array', items: { type: 'string' } },
									matrix: { type: 'array', items: { type: 'array', items: nullableNumber } },
								},
							},
							skippedJudgments: { type: 'integer', description: 'Judgments without a model on both sides' },
							selfIdentified: {
								type: 'object',
								description:
									'Comparison projects: battles in which a shown response names its own model or vendor; left out of the board unless `included` (the project setting arena.includeSelfIdentified)',
								properties: { battles: { type: 'integer' }, included: { type: 'boolean' } },
							},
						},
					},
					'The leaderboard',
				),
				'202': pending,
				...readErrors,
			},
		},
	},
	'/projects/{slug}/review-queue': {
		get: {
			summary: 'Disputed items, most disputed first',
			operationId: 'getReviewQueue',
			parameters: [slugParam, ...queryParameters(ReviewQueueQuerySchema)],
			responses: {
				'200': jsonBody(
					{
						type: 'object',
						properties: {
							...computed,
							updatedAt: { type: 'string', format: 'date-time', description: 'Last change, e.g. by an adjudication' },
							openCount: { type: 'integer', description: 'Every open disputed item' },
							adjudicatedCount: { type: 'integer' },
							disagreement: { type: ['string', 'null'], enum: ['dawid-skene', null] },
							dawidSkeneDisagreeCount: {
								type: 'integer',
								description: 'Items where the Dawid–Skene consensus differs from a strict majority',
							},
							total: {
								type: 'integer',
								description:
									'Entries for this filter in the stored queue (the most disputed 2,000 open, the latest 500 adjudicated)',
							},
							items: { type: 'array', items: queueEntry },
						},
					},
					'A page of the queue',
				),
				'202': pending,
				'422': { ...problemResponse, description: 'Bad query parameters' },
				...readErrors,
			},
		},
	},
	'/projects/{slug}/dawid-skene': {
		get: {
			summary: 'Consensus weighted by each annotator’s reliability (Dawid & Skene, 1979), with the reliabilities',
			description:
				'Pairwise items are one unit with four classes (first, second, tie, both-bad, relative to the stored response order); rankings give one unit per pair of responses (better, tie, worse). Gold items are clamped to their answer. EM with pseudo-count 0.01, stopped at max |ΔT| < 1e-9 or 1,000 rounds.',
			operationId: 'getDawidSkene',
			parameters: [slugParam],
			responses: {
				'200': jsonBody(
					{
						type: 'object',
						properties: {
							...computed,
							taskType: { type: 'string', enum: ['pairwise', 'ranking'] },
							classes: { type: 'array', items: { type: 'string' } },
							prior: { type: 'array', items: { type: 'number' } },
							iterations: { type: 'integer' },
							converged: { type: 'boolean' },
							units: { type: 'integer' },
							items: { type: 'integer', description: 'Items reported on (gold items are left out)' },
							judgments: { type: 'integer' },
							annotators: {
								type: 'array',
								description: 'Least reliable first',
								items: {
									type: 'object',
									properties: {
										userId: { type: 'string', format: 'uuid' },
										displayName: { type: 'string' },
										judgments: { type: 'integer' },
										reliability: {
											type: 'number',
											description: 'Σ_k prior[k]·conf[k,k]: how often their label is the true class',
										},
										chance: {
											type: 'number',
											description: 'The same for labelling blind with their own label frequencies',
										},
										nearChance: {
											type: 'boolean',
											description:
												'Reliability within thresholds.nearChanceMargin of chance, over thresholds.minJudgments or more',
										},
									},
								},
							},
							disagreeCount: { type: 'integer', description: 'Items where a strict majority differs from Dawid–Skene' },
							uncertainCount: { type: 'integer', description: 'Items with confidence under thresholds.confident' },
							itemList: {
								type: 'array',
								description:
									'The items where Dawid–Skene and the majority disagree, then the least confident, up to thresholds.itemLimit',
								items: {
									type: 'object',
									properties: {
										itemId: { type: 'string', format: 'uuid' },
										externalId: { type: 'string' },
										consensus: { type: 'object', properties: { ranking, bothBad: { type: 'boolean' } } },
										confidence: { type: 'number', description: 'max T (rankings: of the least sure pair)' },
										majority: { type: 'object', properties: { ranking, bothBad: { type: 'boolean' } } },
										disagrees: { type: 'boolean' },
										votes: { type: 'integer' },
									},
								},
							},
							thresholds: { type: 'object' },
						},
					},
					'The estimate',
				),
				'202': pending,
				...readErrors,
			},
		},
	},
	'/items/{id}/adjudication': {
		post: {
			summary:
				"Record a reviewer's decision on an item; it becomes the item's consensus (reviewers of the project, admins)",
			operationId: 'adjudicateItem',
			parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
			requestBody: {
				required: true,
				...jsonBody(schemaRef('AdjudicationInput')),
			},
			responses: {
				'201': jsonBody(
					{
						type: 'object',
						properties: {
							adjudication: {
								type: 'object',
								properties: {
									id: { type: 'string', format: 'uuid' },
									itemId: { type: 'string', format: 'uuid' },
									reviewerId: { type: 'string', format: 'uuid' },
									ranking,
									bothBad: { type: 'boolean' },
									strength: { type: ['integer', 'null'] },
									note: { type: 'string' },
									createdAt: { type: 'string', format: 'date-time' },
								},
							},
							consensus: {
								type: 'object',
								description: 'The item consensus, now the adjudication, with the annotators’ agreement with it',
							},
						},
					},
					'Recorded',
				),
				'404': { ...problemResponse, description: 'No such item, or not in a project the caller reviews' },
				'409': { ...problemResponse, description: 'A gold item' },
				'422': { ...problemResponse, description: 'Field errors (a response missing or unknown, strength, note)' },
				...authErrors,
			},
		},
	},
}
