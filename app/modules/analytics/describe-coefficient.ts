import type { ControlFeature } from '#app/modules/stats/style-control.ts'

const SUBJECT: Record<ControlFeature, { more: string; unit: string }> = {
	length: { more: 'longer answers', unit: 'length (tokens)' },
	headers: { more: 'answers with more headers', unit: 'headers' },
	lists: { more: 'answers with more list items', unit: 'list items' },
	bold: { more: 'answers with more bold text', unit: 'bold spans' },
	position: { more: 'the answer shown first', unit: 'position' },
}

const elo = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`

/**
 * A style or position coefficient in words: "longer answers win more often: +x Elo per standard
 * deviation of length (tokens), 95% interval +a to +b".
 */
export function describeCoefficient({
	feature,
	elo: value,
	eloLow,
	eloHigh,
}: {
	feature: ControlFeature
	elo: number | null
	eloLow: number | null
	eloHigh: number | null
}) {
	const { more, unit } = SUBJECT[feature]
	if (value === null) return `${unit}: no estimate, since it never differs between the two answers of a battle`
	const verb = feature === 'position' ? 'wins' : 'win'
	const direction = `${verb} ${value >= 0 ? 'more' : 'less'} often`
	const per =
		feature === 'position'
			? 'per standard deviation of position (shown first or second)'
			: `per standard deviation of ${unit}`
	const interval =
		eloLow !== null && eloHigh !== null && Number.isFinite(eloLow) && Number.isFinite(eloHigh)
			? `, 95% interval ${elo(eloLow)} to ${elo(eloHigh)}`
			: ''
	const unclear =
		eloLow !== null && eloHigh !== null && eloLow <= 0 && eloHigh >= 0 ? ' (the interval includes no effect)' : ''
	return `${more} ${direction}: ${elo(value)} Elo ${per}${interval}${unclear}`
}
