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
	route('api/v1/*', 'routes/api/not-found.ts'),
	route('*', 'routes/not-found.tsx'),
] satisfies RouteConfig
