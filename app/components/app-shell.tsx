import { Form, NavLink } from 'react-router'
import { hasPermission, hasRole, type Permission } from '#app/utils/permissions.ts'
import type { Role } from '#app/generated/prisma/enums.ts'

type ShellUser = { displayName: string; email: string; roles: Role[] } | null

type NavItem = { to: string; label: string; permission?: Permission; roles?: Role[] }

const navItems: NavItem[] = [
	{ to: '/projects', label: 'Projects' },
	{ to: '/review', label: 'Review', permission: 'adjudicate:items' },
	{ to: '/exports', label: 'Exports', permission: 'create:exports' },
	{ to: '/admin/users', label: 'Users', permission: 'manage:users' },
	{ to: '/admin/models', label: 'Models', permission: 'manage:models' },
]

export function AppShell({ user, children }: { user: ShellUser; children: React.ReactNode }) {
	const visible = navItems.filter(
		(item) =>
			user &&
			(!item.permission || hasPermission(user, item.permission)) &&
			(!item.roles || hasRole(user, ...item.roles)),
	)
	return (
		<div className="flex min-h-screen flex-col">
			<a
				href="#main"
				className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
			>
				Skip to content
			</a>
			<header className="border-b border-slate-200 bg-white">
				<div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-4">
					<a href="/" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
						<span
							aria-hidden
							className="grid h-7 w-7 place-items-center rounded-md bg-indigo-600 text-sm font-bold text-white"
						>
							Q
						</span>
						Quorum
					</a>
					{user ? (
						<nav aria-label="Main" className="flex items-center gap-1 text-sm">
							{visible.map((item) => (
								<NavLink
									key={item.to}
									to={item.to}
									className={({ isActive }) =>
										`rounded-md px-3 py-1.5 ${isActive ? 'bg-slate-100 font-medium text-slate-900' : 'text-slate-600 hover:text-slate-900'}`
									}
								>
									{item.label}
								</NavLink>
							))}
						</nav>
					) : null}
					<div className="ml-auto flex items-center gap-3 text-sm">
						{user ? (
							<>
								<NavLink to="/settings/tokens" className="text-slate-600 hover:text-slate-900">
									API tokens
								</NavLink>
								<NavLink to="/settings/security" className="text-slate-600 hover:text-slate-900">
									Password
								</NavLink>
								<span className="text-slate-500" title={user.email}>
									{user.displayName}
									<span className="ml-1 text-xs text-slate-500">({user.roles.join(', ')})</span>
								</span>
								<Form method="post" action="/logout">
									<button type="submit" className="btn-secondary">
										Log out
									</button>
								</Form>
							</>
						) : (
							<NavLink to="/login" className="btn-secondary">
								Log in
							</NavLink>
						)}
					</div>
				</div>
			</header>
			<div id="main" className="flex-1">
				{children}
			</div>
		</div>
	)
}
