import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
	{ ignores: ['build/**', 'node_modules/**', 'data/**', 'app/generated/**', '.react-router/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'build-*/**', 'test-results-*/**'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx}'],
		plugins: { 'react-hooks': reactHooks },
		rules: {
			...reactHooks.configs.recommended.rules,
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
			'@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/generated/prisma/client*', '#app/utils/db.server*'],
							importNames: ['prisma', 'PrismaClient'],
							message: 'Routes reach the database through app/modules only.',
						},
					],
				},
			],
		},
	},
	{
		files: ['app/routes/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ paths: [{ name: '#app/utils/db.server.ts', message: 'Routes stay thin: call a module in app/modules instead of Prisma.' }] },
			],
		},
	},
	{
		files: ['app/modules/**', 'app/utils/**', 'prisma/**', 'tests/**', 'workers/**', 'cli/**', 'server/**', 'bench/**', 'exports/**', 'scripts/**', '*.config.*'],
		rules: { 'no-restricted-imports': 'off' },
	},
	{
		files: ['scripts/**/*.js', 'bin/**/*.js'],
		languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
	},
)
