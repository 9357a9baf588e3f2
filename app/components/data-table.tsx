import {
	FlexRender,
	rowPaginationFeature,
	rowSortingFeature,
	tableFeatures,
	useTable,
	type ColumnDef,
	type PaginationState,
	type SortingState,
	type Updater,
	type RowData,
} from '@tanstack/react-table'
import { useSearchParams } from 'react-router'

export const dataTableFeatures = tableFeatures({ rowSortingFeature, rowPaginationFeature })
export type DataTableColumn<Row extends RowData> = ColumnDef<typeof dataTableFeatures, Row>

function resolve<T>(updater: Updater<T>, previous: T): T {
	return typeof updater === 'function' ? (updater as (old: T) => T)(previous) : updater
}

/**
 * Every admin table: sorting, filtering and pagination happen on the server, and their state
 * lives in the URL (`sort`, `dir`, `page`, `pageSize`), so a view can be bookmarked and shared.
 */
export function DataTable<Row extends RowData>({
	columns,
	data,
	total,
	caption,
	emptyState,
	getRowId,
	defaultSort,
}: {
	columns: DataTableColumn<Row>[]
	data: Row[]
	total: number
	caption: string
	emptyState: React.ReactNode
	getRowId?: (row: Row) => string
	defaultSort?: { id: string; desc: boolean }
}) {
	const [searchParams, setSearchParams] = useSearchParams()
	const sortId = searchParams.get('sort') ?? defaultSort?.id
	const sorting: SortingState = sortId
		? [{ id: sortId, desc: (searchParams.get('dir') ?? (defaultSort?.desc ? 'desc' : 'asc')) === 'desc' }]
		: []
	const pagination: PaginationState = {
		pageIndex: Math.max(0, Number(searchParams.get('page') ?? 1) - 1),
		pageSize: Number(searchParams.get('pageSize') ?? 25),
	}

	const update = (mutate: (params: URLSearchParams) => void) =>
		setSearchParams(
			(previous) => {
				const next = new URLSearchParams(previous)
				mutate(next)
				return next
			},
			{ preventScrollReset: true },
		)

	const table = useTable<typeof dataTableFeatures, Row>({
		features: dataTableFeatures,
		columns,
		data,
		getRowId: getRowId ? (row: Row) => getRowId(row) : undefined,
		manualSorting: true,
		manualPagination: true,
		rowCount: total,
		state: { sorting, pagination },
		onSortingChange: (updater: Updater<SortingState>) => {
			const next = resolve(updater, sorting)[0]
			update((params) => {
				if (next) {
					params.set('sort', next.id)
					params.set('dir', next.desc ? 'desc' : 'asc')
				} else {
					params.delete('sort')
					params.delete('dir')
				}
				params.delete('page')
			})
		},
		onPaginationChange: (updater: Updater<PaginationState>) => {
			const next = resolve(updater, pagination)
			update((params) => {
				params.set('page', String(next.pageIndex + 1))
				params.set('pageSize', String(next.pageSize))
			})
		},
	})

	const pageCount = Math.max(1, Math.ceil(total / pagination.pageSize))
	const first = total === 0 ? 0 : pagination.pageIndex * pagination.pageSize + 1
	const last = Math.min(total, (pagination.pageIndex + 1) * pagination.pageSize)

	return (
		<div className="card overflow-hidden p-0">
			<div className="overflow-x-auto">
				<table className="w-full text-left text-sm">
					<caption className="sr-only">{caption}</caption>
					<thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
						{table.getHeaderGroups().map((group) => (
							<tr key={group.id}>
								{group.headers.map((header) => {
									const sorted = header.column.getIsSorted()
									const canSort = header.column.getCanSort()
									return (
										<th
											key={header.id}
											scope="col"
											className="px-4 py-2 font-semibold"
											aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
										>
											{header.isPlaceholder ? null : canSort ? (
												<button
													type="button"
													className="inline-flex items-center gap-1 uppercase hover:text-slate-900"
													onClick={header.column.getToggleSortingHandler()}
												>
													<FlexRender header={header} />
													<span aria-hidden>{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span>
												</button>
											) : (
												<FlexRender header={header} />
											)}
										</th>
									)
								})}
							</tr>
						))}
					</thead>
					<tbody>
						{table.getRowModel().rows.length === 0 ? (
							<tr>
								<td colSpan={columns.length} className="px-4 py-10 text-center text-slate-500">
									{emptyState}
								</td>
							</tr>
						) : (
							table.getRowModel().rows.map((row) => (
								<tr key={row.id} className="border-b border-slate-100 last:border-0 hover:bg-slate-50">
									{row.getAllCells().map((cell) => (
										<td key={cell.id} className="px-4 py-2 align-middle">
											<FlexRender cell={cell} />
										</td>
									))}
								</tr>
							))
						)}
					</tbody>
				</table>
			</div>
			<nav
				aria-label={`${caption} pagination`}
				className="flex items-center justify-between border-t border-slate-200 px-4 py-2 text-sm text-slate-600"
			>
				<span>
					{first}–{last} of {total}
				</span>
				<div className="flex items-center gap-2">
					<label className="flex items-center gap-1">
						<span>Rows</span>
						<select
							className="rounded border border-slate-300 px-1 py-0.5"
							value={pagination.pageSize}
							onChange={(event) => table.setPageSize(Number(event.target.value))}
						>
							{[10, 25, 50, 100].map((size) => (
								<option key={size} value={size}>
									{size}
								</option>
							))}
						</select>
					</label>
					<button
						type="button"
						className="btn-secondary"
						onClick={() => table.previousPage()}
						disabled={pagination.pageIndex === 0}
					>
						Previous
					</button>
					<span>
						Page {pagination.pageIndex + 1} of {pageCount}
					</span>
					<button
						type="button"
						className="btn-secondary"
						onClick={() => table.nextPage()}
						disabled={pagination.pageIndex + 1 >= pageCount}
					>
						Next
					</button>
				</div>
			</nav>
		</div>
	)
}
