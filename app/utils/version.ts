export const QUORUM_VERSION = '0.1.0'
