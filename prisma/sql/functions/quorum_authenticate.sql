-- Checks a credential and returns its user, or no row. `p_kind` is 'token' (an API token) or
-- 'session' (the session cookie); `p_id` is the credential's id and `p_hash` SHA-256 of its secret,
-- so the secret itself never reaches the database. Nothing is cached: a revoked token, an expired
-- session or a disabled user is refused by the very next call. A model user (an AI judge) never
-- authenticates, whatever credential names it. It keeps the rules of
-- app/modules/auth: a token's last use is written at most once a minute, a session's expiry slides
-- at most once an hour but never past p_session_max_ms after the login (SESSION_MAX_DAYS), an
-- expired token is refused, and an expired session or one of a disabled user is deleted. `scope` is
-- the token's scope ('full' for a session): callers refuse a 'read' token on writes.
-- Called inside the hot-path functions (quorum_submit_and_next, quorum_next_for), so that the
-- credential check costs no round trip of its own.
-- How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_authenticate(
    p_kind TEXT, p_id TEXT, p_hash BYTEA, p_now TIMESTAMPTZ, p_session_ms BIGINT, p_session_max_ms BIGINT
) RETURNS TABLE (user_id UUID, email TEXT, display_name TEXT, roles TEXT[], scope TEXT)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    v RECORD;
BEGIN
    IF p_kind = 'token' THEN
        SELECT u.id, u.email, u.display_name, u.roles::text[] AS roles, t.last_used_at, t.scope::text AS scope INTO v
        FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.id = p_id AND t.secret_hash = p_hash AND t.revoked_at IS NULL AND u.disabled_at IS NULL AND u.kind = 'human'
            AND (t.expires_at IS NULL OR t.expires_at > p_now);
        IF NOT FOUND THEN
            RETURN;
        END IF;
        IF v.last_used_at IS NULL OR p_now - v.last_used_at > interval '60 seconds' THEN
            UPDATE api_tokens SET last_used_at = p_now WHERE api_tokens.id = p_id;
        END IF;
    ELSIF p_kind = 'session' THEN
        SELECT u.id, u.email, u.display_name, u.roles::text[] AS roles, u.disabled_at, u.kind::text AS kind, s.created_at, s.expires_at, s.last_verified_at,
            'full'::text AS scope INTO v
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = p_id AND s.secret_hash = p_hash;
        IF NOT FOUND THEN
            RETURN;
        END IF;
        IF v.expires_at <= p_now OR v.created_at + make_interval(secs => p_session_max_ms / 1000.0) <= p_now OR v.disabled_at IS NOT NULL OR v.kind <> 'human' THEN
            DELETE FROM sessions WHERE sessions.id = p_id;
            RETURN;
        END IF;
        IF p_now - v.last_verified_at >= interval '1 hour' THEN
            UPDATE sessions SET last_verified_at = p_now,
                expires_at = LEAST(p_now + make_interval(secs => p_session_ms / 1000.0), v.created_at + make_interval(secs => p_session_max_ms / 1000.0))
            WHERE sessions.id = p_id;
        END IF;
    ELSE
        RETURN;
    END IF;
    RETURN QUERY SELECT v.id, v.email, v.display_name, v.roles, v.scope;
END
$$;
