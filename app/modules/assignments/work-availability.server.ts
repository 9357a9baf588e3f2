import { sql } from '#app/utils/db.server.ts'
import { workAvailabilityQuery, type WorkAvailabilityRow } from './assignments.queries.ts'

/** Why there is nothing to do: everything is done, or the rest is leased by others right now. */
export async function workAvailability({
	projectId,
	userId,
	overlap,
	now = new Date(),
}: {
	projectId: string
	userId: string
	overlap: number
	now?: Date
}) {
	const [row] = await sql<WorkAvailabilityRow>(workAvailabilityQuery({ projectId, userId, overlap, now }))
	return { waitingOnOthers: (row?.waiting ?? 0) > 0, retryAt: row?.earliest?.toISOString() ?? null }
}
