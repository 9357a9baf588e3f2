import { useEffect, useRef } from 'react'
import type uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

type Row = { model: string; rating: number; ciLow: number; ciHigh: number }

/**
 * Ratings as points with their 95% intervals as whiskers, best first (uPlot on a canvas once the
 * page is interactive); the numbers are in the leaderboard table next to it.
 */
export function RatingChart({ rows }: { rows: Row[] }) {
	const container = useRef<HTMLDivElement>(null)

	useEffect(() => {
		const element = container.current
		if (!element || rows.length === 0) return
		let chart: uPlot | undefined
		let observer: ResizeObserver | undefined
		let cancelled = false
		const low = Math.min(...rows.map((row) => row.ciLow), ...rows.map((row) => row.rating))
		const high = Math.max(...rows.map((row) => row.ciHigh), ...rows.map((row) => row.rating))
		const pad = Math.max(5, (high - low) * 0.1)
		void import('uplot').then(({ default: UPlot }) => {
			if (cancelled) return
			const data: uPlot.AlignedData = [rows.map((_, i) => i + 1), rows.map((row) => row.rating)]
			const whiskers = (u: uPlot) => {
				const ctx = u.ctx
				ctx.save()
				ctx.strokeStyle = '#4f46e5'
				ctx.lineWidth = 2 * devicePixelRatio
				rows.forEach((row, i) => {
					const x = u.valToPos(i + 1, 'x', true)
					const top = u.valToPos(row.ciHigh, 'y', true)
					const bottom = u.valToPos(row.ciLow, 'y', true)
					const cap = 6 * devicePixelRatio
					ctx.beginPath()
					ctx.moveTo(x, top)
					ctx.lineTo(x, bottom)
					ctx.moveTo(x - cap, top)
					ctx.lineTo(x + cap, top)
					ctx.moveTo(x - cap, bottom)
					ctx.lineTo(x + cap, bottom)
					ctx.stroke()
				})
				ctx.restore()
			}
			chart = new UPlot(
				{
					width: element.clientWidth || 600,
					height: 300,
					legend: { show: false },
					cursor: { drag: { x: false, y: false } },
					scales: { x: { time: false, range: [0.5, rows.length + 0.5] }, y: { range: [low - pad, high + pad] } },
					axes: [
						{
							stroke: '#64748b',
							splits: () => rows.map((_, i) => i + 1),
							values: (_u, splits) => splits.map((split) => rows[split - 1]?.model ?? ''),
							rotate: rows.length > 6 ? -30 : 0,
							size: rows.length > 6 ? 90 : 40,
							grid: { show: false },
						},
						{ stroke: '#64748b', grid: { stroke: '#e2e8f0' }, label: 'Elo rating', labelSize: 20 },
					],
					series: [
						{},
						{
							label: 'Rating',
							stroke: '#4f46e5',
							paths: () => null,
							points: { show: true, size: 9, fill: '#4f46e5', stroke: '#4f46e5' },
						},
					],
					hooks: { draw: [whiskers] },
				},
				data,
				element,
			)
			observer = new ResizeObserver(() => chart?.setSize({ width: element.clientWidth, height: 300 }))
			observer.observe(element)
		})
		return () => {
			cancelled = true
			observer?.disconnect()
			chart?.destroy()
		}
	}, [rows])

	return (
		<figure aria-labelledby="ratings-caption" className="space-y-2">
			<figcaption id="ratings-caption" className="font-semibold">
				Ratings with 95% intervals
			</figcaption>
			<div ref={container} aria-hidden className="w-full" data-chart="ratings" />
		</figure>
	)
}
