import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
	{
		ignores: [
			'build/**',
			'node_modules/**',
			'data/**',
			'app/generated/**',
			'.react-router/**',
			'test-results/**',
			'playwright-report/**',
			'.tmp/**',
			'build-*/**',
			'test-results-*/**',
		],
	},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx}'],
		plugins: { 'react-hooks': reactHooks },
		rules: {
			...reactHooks.configs.recommended.rules,
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
			],
			'@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/generated/prisma/client*', '\\#app/utils/db.server*'],
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
				{
					paths: [
						{
							name: '#app/utils/db.server.ts',
							message: 'Routes stay thin: call a module in app/modules instead of Prisma.',
						},
					],
				},
			],
		},
	},
	{
		files: [
			'app/modules/**',
			'app/utils/**',
			'prisma/**',
			'tests/**',
			'workers/**',
			'cli/**',
			'server/**',
			'bench/**',
			'exports/**',
			'scripts/**',
			'*.config.*',
		],
		rules: { 'no-restricted-imports': 'off' },
	},
	// Import zones. A later block replaces an earlier block's no-restricted-imports for the same
	// files, so each zone lists every pattern it forbids. `#` starts a comment in these
	// gitignore-style patterns, hence `\\#app/*`.
	{
		files: ['app/modules/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['\\#app/routes/*', '\\#app/components/*', '**/routes/*', '**/components/*'],
							message: 'Modules hold the domain logic that routes and components call, never the other way round.',
						},
						{
							group: ['\\#workers/*', '**/workers/*'],
							message: 'Modules never import the worker runtime; the job client is in app/modules/jobs.',
						},
						{
							group: ['\\#server/*', '**/server/*'],
							message: 'Modules never import the process entry points in server/.',
						},
					],
				},
			],
		},
	},
	{
		files: ['app/utils/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['\\#app/modules/*', '**/modules/*'],
							message: 'app/utils sits below the modules: move the code into a module, or pass what it needs in.',
						},
						{
							group: [
								'\\#app/routes/*',
								'\\#app/components/*',
								'**/routes/*',
								'**/components/*',
								'\\#workers/*',
								'\\#server/*',
							],
							message: 'app/utils sits below everything else in app/.',
						},
					],
				},
			],
		},
	},
	{
		files: ['exports/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['\\#app/*', '**/app/*', '\\#workers/*', '\\#server/*', '\\#cli/*', '\\#prisma/*'],
							message: 'exports/ is a pure library with no database or app code: the app passes it the rows.',
						},
					],
				},
			],
		},
	},
	{
		files: ['scripts/**/*.js', 'bin/**/*.js'],
		languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
	},
)
