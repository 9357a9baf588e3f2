import { type RouteConfig, index, route } from '@react-router/dev/routes'

export default [
	index('routes/home.tsx'),
	route('login', 'routes/login.tsx'),
	route('logout', 'routes/logout.tsx'),
	route('invite/:token', 'routes/invite.tsx'),
	route('settings/tokens', 'routes/settings-tokens.tsx'),
	route('admin/users', 'routes/admin-users.tsx'),
	route('projects', 'routes/projects.tsx'),

	route('api/v1/me', 'routes/api/me.ts'),
	route('api/v1/users', 'routes/api/users.ts'),
	route('api/v1/openapi.json', 'routes/api/openapi.ts'),
	route('api/v1/me/judgments', 'routes/api/me-judgments.ts'),
	route('api/v1/projects/:slug/assignments/next', 'routes/api/assignments-next.ts'),
	route('api/v1/projects/:slug/judgments', 'routes/api/project-judgments.ts'),
	route('api/v1/assignments/:leaseId/judgment', 'routes/api/assignment-judgment.ts'),
	route('api/v1/assignments/:leaseId/skip', 'routes/api/assignment-skip.ts'),
	route('api/v1/assignments/:leaseId/renew', 'routes/api/assignment-renew.ts'),
	route('api/v1/judgments/:id', 'routes/api/judgment.ts'),
	route('api/v1/*', 'routes/api/not-found.ts'),
	route('*', 'routes/not-found.tsx'),
] satisfies RouteConfig
