import {
	closestCenter,
	DndContext,
	KeyboardSensor,
	PointerSensor,
	useSensor,
	useSensors,
	type DragEndEvent,
} from '@dnd-kit/core'
import {
	arrayMove,
	SortableContext,
	sortableKeyboardCoordinates,
	useSortable,
	verticalListSortingStrategy,
} from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import type { ResponseView } from './types.ts'

type Props = {
	responses: ResponseView[]
	order: string[]
	tiedWithPrevious: string[]
	onChange: (next: { order: string[]; tiedWithPrevious: string[] }) => void
	focusedId: string | null
	onFocus: (id: string) => void
	confirmed: boolean
	onConfirm: () => void
}

function rankLabels(order: string[], tied: string[]) {
	const labels = new Map<string, number>()
	let rank = 0
	order.forEach((id, index) => {
		if (index === 0 || !tied.includes(id)) rank = index + 1
		labels.set(id, rank)
	})
	return labels
}

function Row({
	response,
	rank,
	index,
	count,
	tied,
	focused,
	move,
	toggleTie,
	onFocus,
}: {
	response: ResponseView
	rank: number
	index: number
	count: number
	tied: boolean
	focused: boolean
	move: (delta: number) => void
	toggleTie: () => void
	onFocus: () => void
}) {
	const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: response.id })
	return (
		<li
			ref={setNodeRef}
			style={{ transform: CSS.Transform.toString(transform), transition }}
			className={`flex items-center gap-2 rounded-md border bg-white px-2 py-1.5 text-sm ${isDragging ? 'z-10 shadow-lg' : ''} ${focused ? 'border-indigo-500' : 'border-slate-200'}`}
			onFocusCapture={onFocus}
		>
			<button
				type="button"
				className="cursor-grab rounded px-1 text-slate-500 hover:text-slate-800"
				aria-label={`Drag response ${response.label}; press space to pick up, arrows to move, space to drop`}
				{...attributes}
				{...listeners}
			>
				⠿
			</button>
			<span className="w-14 font-semibold tabular-nums" aria-label={`Rank ${rank}`}>
				#{rank}
			</span>
			<span className="flex-1 whitespace-nowrap">Response {response.label}</span>
			<label className={`flex items-center gap-1 text-xs ${index === 0 ? 'invisible' : ''}`}>
				<input type="checkbox" checked={tied} onChange={toggleTie} disabled={index === 0} />
				tie with above
			</label>
			<button
				type="button"
				className="btn-secondary px-2 py-0.5"
				onClick={() => move(-1)}
				disabled={index === 0}
				aria-label={`Move response ${response.label} up`}
			>
				↑
			</button>
			<button
				type="button"
				className="btn-secondary px-2 py-0.5"
				onClick={() => move(1)}
				disabled={index === count - 1}
				aria-label={`Move response ${response.label} down`}
			>
				↓
			</button>
		</li>
	)
}

/** Best first. Drag with a mouse or the keyboard, or use the buttons; ties join the row above. */
export default function RankingControls({
	responses,
	order,
	tiedWithPrevious,
	onChange,
	focusedId,
	onFocus,
	confirmed,
	onConfirm,
}: Props) {
	const sensors = useSensors(
		useSensor(PointerSensor),
		useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
	)
	const byId = new Map(responses.map((r) => [r.id, r]))
	const ranks = rankLabels(order, tiedWithPrevious)
	const move = (id: string, delta: number) => {
		const from = order.indexOf(id)
		const to = from + delta
		if (to < 0 || to >= order.length) return
		onChange({ order: arrayMove(order, from, to), tiedWithPrevious })
	}
	const onDragEnd = (event: DragEndEvent) => {
		if (!event.over || event.active.id === event.over.id) return
		onChange({
			order: arrayMove(order, order.indexOf(String(event.active.id)), order.indexOf(String(event.over.id))),
			tiedWithPrevious,
		})
	}
	return (
		<DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
			<SortableContext items={order} strategy={verticalListSortingStrategy}>
				<ol className="space-y-1.5" aria-label="Ranking, best first">
					{order.map((id, index) => (
						<Row
							key={id}
							response={byId.get(id)!}
							rank={ranks.get(id)!}
							index={index}
							count={order.length}
							tied={tiedWithPrevious.includes(id)}
							focused={focusedId === id}
							move={(delta) => move(id, delta)}
							toggleTie={() =>
								onChange({
									order,
									tiedWithPrevious: tiedWithPrevious.includes(id)
										? tiedWithPrevious.filter((t) => t !== id)
										: [...tiedWithPrevious, id],
								})
							}
							onFocus={() => onFocus(id)}
						/>
					))}
				</ol>
			</SortableContext>
			<button
				type="button"
				className="btn-secondary mt-2 w-full"
				onClick={onConfirm}
				aria-pressed={confirmed}
				aria-keyshortcuts="o"
			>
				{confirmed ? 'The shown order is my ranking ✓' : 'The shown order is my ranking'} <kbd className="kbd">O</kbd>
			</button>
		</DndContext>
	)
}
