import { spawnSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import { authenticateApiToken } from '#app/modules/auth/api-token.server.ts'
import { verifyPassword } from '#app/modules/auth/password.server.ts'
import { prisma } from '#app/utils/db.server.ts'

function quorum(args: string[], env: Record<string, string | undefined> = {}) {
	const result = spawnSync(process.execPath, ['bin/quorum.js', ...args], {
		encoding: 'utf8',
		env: { ...process.env, LOG_LEVEL: 'silent', ...env },
		timeout: 60_000,
	})
	return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('quorum CLI', () => {
	test('users create, tokens create (token alone on the last line), users disable', async () => {
		const email = `cli-${Date.now()}@test.local`
		const created = quorum([
			'users',
			'create',
			'--email',
			email,
			'--password',
			'cli-password-1',
			'--role',
			'engineer',
			'--role',
			'reviewer',
		])
		expect(created.stderr).toBe('')
		expect(created.code).toBe(0)
		const user = await prisma.user.findUniqueOrThrow({ where: { email } })
		expect(user.roles.sort()).toEqual(['engineer', 'reviewer'])

		const token = quorum(['tokens', 'create', '--email', email, '--name', 'ci'])
		expect(token.code).toBe(0)
		const lastLine = token.stdout.trim().split('\n').at(-1)!
		expect(lastLine).toMatch(/^qrm_\S+$/)
		expect((await authenticateApiToken(lastLine))?.email).toBe(email)

		const disabled = quorum(['users', 'disable', '--email', email])
		expect(disabled.code).toBe(0)
		expect(await authenticateApiToken(lastLine)).toBeNull()
	})

	test('bad input exits non-zero with one clear line', () => {
		const badRole = quorum([
			'users',
			'create',
			'--email',
			'x@test.local',
			'--password',
			'long-enough',
			'--role',
			'boss',
		])
		expect(badRole.code).toBe(1)
		expect(badRole.stderr.trim()).toBe('error: --role: Role must be one of: admin, reviewer, annotator, engineer')

		const missing = quorum(['tokens', 'create', '--email', 'nobody@test.local', '--name', 'x'])
		expect(missing.code).toBe(1)
		expect(missing.stderr).toContain('No user with email nobody@test.local')

		const noDatabase = quorum(['migrate'], { DATABASE_URL: '' })
		expect(noDatabase.code).toBe(1)
		expect(noDatabase.stderr).toContain('DATABASE_URL is not set')

		const unknown = quorum(['frobnicate'])
		expect(unknown.code).not.toBe(0)
		expect(unknown.stderr).toContain("unknown command 'frobnicate'")
	})

	test('every command has --help', () => {
		for (const command of [
			[],
			['migrate'],
			['seed'],
			['users', 'create'],
			['users', 'disable'],
			['tokens', 'create'],
			['judge'],
		]) {
			const help = quorum([...command, '--help'])
			expect(help.code, command.join(' ')).toBe(0)
			expect(help.stdout).toContain('Usage: quorum')
		}
	})

	test('migrate on an up-to-date database says so', () => {
		const result = quorum(['migrate'])
		expect(result.code).toBe(0)
		expect(result.stdout).toContain('up to date')
	})
})

describe('quorum CLI and secrets', () => {
	test('users create --password - reads the password from standard input', async () => {
		const email = `cli-stdin-${Date.now()}@test.local`
		const result = spawnSync(
			process.execPath,
			['bin/quorum.js', 'users', 'create', '--email', email, '--password', '-', '--role', 'annotator'],
			{
				encoding: 'utf8',
				input: 'from-stdin-password\n',
				env: { ...process.env, LOG_LEVEL: 'silent' },
				timeout: 60_000,
			},
		)
		expect(result.stderr).toBe('')
		expect(result.status).toBe(0)
		const user = await prisma.user.findUniqueOrThrow({ where: { email } })
		expect(await verifyPassword(user.passwordHash!, 'from-stdin-password')).toBe(true)

		const token = quorum([
			'tokens',
			'create',
			'--email',
			email,
			'--name',
			'reader',
			'--scope',
			'read',
			'--expires-days',
			'7',
		])
		expect(token.code).toBe(0)
		const row = await prisma.apiToken.findFirstOrThrow({ where: { userId: user.id, name: 'reader' } })
		expect(row.scope).toBe('read')
		expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000)
	})
})
