// Imported first by the production entries: React picks its build from NODE_ENV when it is first
// loaded, so this must run before anything imports it.
process.env.NODE_ENV ??= 'production'
