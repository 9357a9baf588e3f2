#!/usr/bin/env node
// The CLI is TypeScript that shares the app's modules; tsx compiles it on the fly.
import { register } from 'tsx/esm/api'

register()
await import('../cli/index.ts')
