import type { ProjectRules } from './judgment.schema.ts'

/**
 * The rules each credential last submitted against, with their fingerprint. Only a guess that saves a
 * round trip: `quorum_submit_and_next` stores nothing unless the fingerprint is still the project's,
 * and answers with the current rules when it is not. Bounded, oldest entry out first.
 */
const MAX_ENTRIES = 10_000
const byCredential = new Map<string, { fingerprint: string; rules: ProjectRules }>()

export function cachedRules(credentialId: string) {
	return byCredential.get(credentialId)
}

export function rememberRules(credentialId: string, entry: { fingerprint: string; rules: ProjectRules }) {
	byCredential.delete(credentialId)
	byCredential.set(credentialId, entry)
	if (byCredential.size > MAX_ENTRIES) byCredential.delete(byCredential.keys().next().value!)
}
