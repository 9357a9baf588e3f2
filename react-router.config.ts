import type { Config } from '@react-router/dev/config'

export default {
	ssr: true,
	// Separate build folders let several checkouts' test runs share one machine.
	buildDirectory: process.env.QUORUM_BUILD_DIR ?? 'build',
	future: {
		v8_middleware: true,
		v8_splitRouteModules: true,
		v8_viteEnvironmentApi: true,
		v8_passThroughRequests: true,
		v8_trailingSlashAwareDataRequests: true,
	},
} satisfies Config
