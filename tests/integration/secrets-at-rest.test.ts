import { expect, test } from 'vitest'
import { createApiToken } from '#app/modules/auth/api-token.server.ts'
import { createSession } from '#app/modules/auth/session.server.ts'
import { createModelEndpoint } from '#app/modules/models/endpoints.server.ts'
import { createInvite } from '#app/modules/users/invites.server.ts'
import { createUser } from '#app/modules/users/users.server.ts'
import { prisma } from '#app/utils/db.server.ts'

test('the database holds no clear-text password, session secret, API token, invite secret or model API key', async () => {
	const password = 'Clear-Text-Password-42'
	const user = await createUser({ email: `secret-${Date.now()}@test.local`, password, roles: ['admin'] })
	const session = await createSession({ userId: user.id })
	const apiToken = await createApiToken({ userId: user.id, name: 'ci' })
	const invite = await createInvite({ email: `inv-${Date.now()}@test.local`, roles: ['annotator'], actorId: user.id })

	const modelApiKey = 'sk-model-endpoint-key-0123456789'
	await createModelEndpoint({
		user: { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles },
		input: { name: `secret-${Date.now()}`, baseUrl: 'http://localhost:11434/v1', model: 'm', apiKey: modelApiKey },
	})

	const secrets = {
		modelApiKey,
		password,
		sessionSecret: session.token.split('.')[1]!,
		apiTokenSecret: apiToken.token.split('.')[1]!,
		inviteSecret: invite.token.split('.')[1]!,
	}

	// Every text-like and bytea column of every table in the public schema.
	const columns = await prisma.$queryRaw<{ table_name: string; column_name: string; data_type: string }[]>`
		SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY')`
	expect(columns.length).toBeGreaterThan(20)

	for (const [name, secret] of Object.entries(secrets)) {
		const hex = Buffer.from(secret).toString('hex')
		for (const column of columns) {
			const expression =
				column.data_type === 'bytea' ? `encode("${column.column_name}", 'hex')` : `"${column.column_name}"::text`
			const needle = column.data_type === 'bytea' ? hex : secret
			const rows = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
				`SELECT count(*) AS n FROM "${column.table_name}" WHERE strpos(${expression}, $1) > 0`,
				needle,
			)
			expect(Number(rows[0]!.n), `${name} found in ${column.table_name}.${column.column_name}`).toBe(0)
		}
	}

	const stored = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })
	expect(stored.passwordHash).toMatch(/^\$argon2id\$/)
})
