import type { Prisma } from '#app/generated/prisma/client.ts'
import { recordAudit } from '#app/modules/audit/record-audit.server.ts'
import { assertPermission } from '#app/modules/auth/require.server.ts'
import type { SessionUser } from '#app/modules/auth/session.server.ts'
import { encryptSecret } from '#app/modules/secrets/secret-key.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { assertUuid, conflict, fieldErrorsFromZod, invalid, notFound } from '#app/utils/errors.ts'
import { ModelEndpointInputSchema, ModelEndpointPatchSchema } from './model-endpoint.schema.ts'
import { endpointSelect, serializeEndpoint } from './serialize-endpoint.ts'

function parse<T>(
	schema: {
		safeParse: (
			input: unknown,
		) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }
	},
	input: unknown,
): T {
	const parsed = schema.safeParse(input)
	if (!parsed.success) throw invalid('The model endpoint is invalid', fieldErrorsFromZod(parsed.error.issues))
	return parsed.data
}

function keyColumns(apiKey: string | null | undefined) {
	if (apiKey === undefined) return {}
	if (apiKey === null || apiKey === '') return { apiKeyEncrypted: null, apiKeyLast4: null }
	return { apiKeyEncrypted: new Uint8Array(encryptSecret(apiKey)), apiKeyLast4: apiKey.slice(-4) }
}

async function assertNameFree(name: string, exceptId?: string) {
	const clash = await prisma.modelEndpoint.findFirst({
		where: { name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
		select: { id: true },
	})
	if (clash) throw conflict(`An endpoint named "${name}" already exists`, { field: 'name' })
}

export async function createModelEndpoint({
	user,
	input,
	ip,
}: {
	user: SessionUser
	input: unknown
	ip?: string | null
}) {
	assertPermission(user, 'manage:models')
	const data = parse(ModelEndpointInputSchema, input)
	await assertNameFree(data.name)
	const row = await prisma.modelEndpoint.create({
		data: {
			name: data.name,
			baseUrl: data.baseUrl,
			model: data.model,
			params: (data.params ?? {}) as Prisma.InputJsonValue,
			concurrency: data.concurrency,
			timeoutSeconds: data.timeoutSeconds,
			createdById: user.id,
			...keyColumns(data.apiKey),
		},
		select: endpointSelect,
	})
	await recordAudit({
		actorId: user.id,
		action: 'model_endpoint.created',
		targetType: 'model_endpoint',
		targetId: row.id,
		data: { name: row.name, baseUrl: row.baseUrl, model: row.model },
		ip,
	})
	return serializeEndpoint(row)
}

export async function listModelEndpoints({ user }: { user: SessionUser }) {
	assertPermission(user, 'run:models')
	const rows = await prisma.modelEndpoint.findMany({ select: endpointSelect, orderBy: { name: 'asc' } })
	return rows.map(serializeEndpoint)
}

export async function getModelEndpoint({ user, id }: { user: SessionUser; id: string }) {
	assertPermission(user, 'manage:models')
	assertUuid(id, 'model endpoint')
	const row = await prisma.modelEndpoint.findUnique({ where: { id }, select: endpointSelect })
	if (!row) throw notFound('No such model endpoint')
	return serializeEndpoint(row)
}

export async function updateModelEndpoint({
	user,
	id,
	input,
	ip,
}: {
	user: SessionUser
	id: string
	input: unknown
	ip?: string | null
}) {
	const before = await getModelEndpoint({ user, id })
	const data = parse(ModelEndpointPatchSchema, input)
	if (data.name !== undefined) await assertNameFree(data.name, id)
	const row = await prisma.modelEndpoint.update({
		where: { id },
		data: {
			name: data.name,
			baseUrl: data.baseUrl,
			model: data.model,
			params: data.params as Prisma.InputJsonValue | undefined,
			concurrency: data.concurrency,
			timeoutSeconds: data.timeoutSeconds,
			...keyColumns(data.apiKey),
		},
		select: endpointSelect,
	})
	const changed = Object.keys(data).filter((key) => key !== 'apiKey')
	await recordAudit({
		actorId: user.id,
		action: 'model_endpoint.updated',
		targetType: 'model_endpoint',
		targetId: id,
		data: { name: before.name, changed, apiKeyChanged: data.apiKey !== undefined },
		ip,
	})
	return serializeEndpoint(row)
}

export async function deleteModelEndpoint({ user, id, ip }: { user: SessionUser; id: string; ip?: string | null }) {
	const before = await getModelEndpoint({ user, id })
	const running = await prisma.generationTask.count({
		where: { endpointId: id, state: 'pending', run: { status: { in: ['queued', 'running'] } } },
	})
	if (running > 0)
		throw conflict('A generation run is still using this endpoint; cancel it or let it finish first', {
			reason: 'endpoint_in_use',
		})
	const judging = await prisma.judgeRun.count({ where: { endpointId: id, status: { in: ['queued', 'running'] } } })
	if (judging > 0)
		throw conflict('A judge run is still using this endpoint; cancel it or let it finish first', {
			reason: 'endpoint_in_use',
		})
	await prisma.modelEndpoint.delete({ where: { id } })
	await recordAudit({
		actorId: user.id,
		action: 'model_endpoint.deleted',
		targetType: 'model_endpoint',
		targetId: id,
		data: { name: before.name },
		ip,
	})
}
