import type { Prisma } from '#app/generated/prisma/client.ts'

/**
 * Marks every response of the project whose content matches the self-identification pattern
 * (`selfIdPattern`; null clears every mark), in one statement; rows already right are not rewritten.
 */
export async function flagSelfIdentifyingResponses({
	tx,
	projectId,
	pattern,
}: {
	tx: Prisma.TransactionClient
	projectId: string
	pattern: string | null
}) {
	return tx.$executeRaw`
		UPDATE responses r SET self_identifies = COALESCE(r.content ~* ${pattern}::text, false)
		FROM items i
		WHERE i.id = r.item_id AND i.project_id = ${projectId}::uuid
			AND r.self_identifies IS DISTINCT FROM COALESCE(r.content ~* ${pattern}::text, false)`
}
