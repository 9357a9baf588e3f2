import { useEffect, useRef } from 'react'
import type uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

type Point = { hour: string; judgments: number }

const hourLabel = (iso: string) =>
	new Date(iso).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })

/**
 * Judgments per hour as a bar chart (uPlot, drawn on a canvas once the page is interactive), with
 * the same numbers as a table for screen readers.
 */
export function ThroughputChart({ points }: { points: Point[] }) {
	const container = useRef<HTMLDivElement>(null)
	const total = points.reduce((sum, point) => sum + point.judgments, 0)

	useEffect(() => {
		const element = container.current
		if (!element || total === 0) return
		let chart: uPlot | undefined
		let observer: ResizeObserver | undefined
		let cancelled = false
		void import('uplot').then(({ default: UPlot }) => {
			if (cancelled) return
			const data: uPlot.AlignedData = [
				points.map((point) => Date.parse(point.hour) / 1000),
				points.map((point) => point.judgments),
			]
			const bars = UPlot.paths.bars?.({ size: [0.8, 40] })
			chart = new UPlot(
				{
					width: element.clientWidth || 600,
					height: 220,
					legend: { show: false },
					cursor: { drag: { x: false, y: false } },
					scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
					axes: [{ stroke: '#64748b' }, { stroke: '#64748b', grid: { stroke: '#e2e8f0' } }],
					series: [
						{},
						{
							label: 'Judgments',
							stroke: '#4f46e5',
							fill: 'rgba(79, 70, 229, 0.35)',
							paths: bars,
							points: { show: false },
						},
					],
				},
				data,
				element,
			)
			observer = new ResizeObserver(() => chart?.setSize({ width: element.clientWidth, height: 220 }))
			observer.observe(element)
		})
		return () => {
			cancelled = true
			observer?.disconnect()
			chart?.destroy()
		}
	}, [points, total])

	const busy = points.filter((point) => point.judgments > 0)
	return (
		<figure aria-labelledby="throughput-caption" className="space-y-2">
			<figcaption id="throughput-caption" className="font-semibold">
				Judgments per hour <span className="text-sm font-normal text-slate-500">(last {points.length} hours)</span>
			</figcaption>
			{total === 0 ? (
				<p className="rounded-md border border-dashed border-slate-300 px-4 py-10 text-center text-sm text-slate-500">
					No judgments in the last {points.length} hours.
				</p>
			) : (
				<div ref={container} aria-hidden className="w-full" data-chart="throughput" />
			)}
			{busy.length > 0 ? (
				<table className="sr-only">
					<caption>Judgments per hour</caption>
					<tbody>
						{busy.map((point) => (
							<tr key={point.hour}>
								<th scope="row">{hourLabel(point.hour)}</th>
								<td>{point.judgments}</td>
							</tr>
						))}
					</tbody>
				</table>
			) : null}
		</figure>
	)
}
