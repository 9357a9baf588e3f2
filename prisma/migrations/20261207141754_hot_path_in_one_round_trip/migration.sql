-- AlterTable
ALTER TABLE "items" ADD COLUMN     "rendered" JSONB;

-- quorum_claim_next returns one more column (rendered): CREATE OR REPLACE cannot change that.
DROP FUNCTION quorum_claim_next(UUID, UUID, INT, INT, TIMESTAMPTZ, BOOLEAN, BOOLEAN);

-- A project as the annotator's loop needs it, as one JSON value: its settings, the current
-- guideline version, and `rules`, a fingerprint of the columns a judgment is validated against.
-- The server validates a judgment against rules it has seen before and passes their fingerprint;
-- quorum_submit_and_next stores nothing when the fingerprint is no longer the project's.
-- How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_assignment_project(p_project UUID)
RETURNS JSON LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', p.id, 'slug', p.slug, 'name', p.name, 'status', p.status, 'task_type', p.task_type, 'overlap', p.overlap,
        'criteria', p.criteria, 'flags', p.flags, 'use_strength', p.use_strength, 'rationale', p.rationale,
        'randomize_order', p.randomize_order, 'show_model_names', p.show_model_names, 'gold_rate', p.gold_rate,
        'lease_seconds', p.lease_seconds,
        'guideline_version', COALESCE((SELECT max(g.version) FROM guideline_versions g WHERE g.project_id = p.id), 0),
        'rules', md5(concat_ws('|', p.task_type, p.use_strength, p.rationale, p.criteria::text, p.flags::text))
    )
    FROM projects p WHERE p.id = p_project
$$;

-- Checks a credential and returns its user, or no row. `p_kind` is 'token' (an API token) or
-- 'session' (the session cookie); `p_id` is the credential's id and `p_hash` SHA-256 of its secret,
-- so the secret itself never reaches the database. Nothing is cached: a revoked token, an expired
-- session or a disabled user is refused by the very next call. It keeps the rules of
-- app/modules/auth: a token's last use is written at most once a minute, a session's expiry slides
-- at most once an hour, and an expired session or one of a disabled user is deleted.
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
        WHERE t.id = p_id AND t.secret_hash = p_hash AND t.revoked_at IS NULL AND u.disabled_at IS NULL
            AND (t.expires_at IS NULL OR t.expires_at > p_now);
        IF NOT FOUND THEN
            RETURN;
        END IF;
        IF v.last_used_at IS NULL OR p_now - v.last_used_at > interval '60 seconds' THEN
            UPDATE api_tokens SET last_used_at = p_now WHERE api_tokens.id = p_id;
        END IF;
    ELSIF p_kind = 'session' THEN
        SELECT u.id, u.email, u.display_name, u.roles::text[] AS roles, u.disabled_at, s.created_at, s.expires_at, s.last_verified_at,
            'full'::text AS scope INTO v
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = p_id AND s.secret_hash = p_hash;
        IF NOT FOUND THEN
            RETURN;
        END IF;
        IF v.expires_at <= p_now OR v.created_at + make_interval(secs => p_session_max_ms / 1000.0) <= p_now OR v.disabled_at IS NOT NULL THEN
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

-- Leases the next unit of work for an annotator: an open lease is resumed first, then a gold item
-- when the caller asked for one, then the first item with capacity left. In READ COMMITTED every
-- statement of a VOLATILE function takes a fresh snapshot, so the capacity re-check after the item
-- lock sees leases and judgments committed while the lock was awaited, exactly as separate
-- statements would. Called by app/modules/assignments/claim-next.server.ts.
-- How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_claim_next(
    p_project UUID, p_user UUID, p_overlap INT, p_lease_seconds INT, p_now TIMESTAMPTZ, p_want_gold BOOLEAN, p_randomize BOOLEAN
) RETURNS TABLE (
    lease_id UUID, expires_at TIMESTAMPTZ, display_order TEXT[], draft JSONB, resumed BOOLEAN,
    item_id UUID, external_id TEXT, context JSONB, responses JSON, rendered JSONB
) LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    v_lease UUID;
    v_item UUID;
    v_gold BOOLEAN := false;
    v_resumed BOOLEAN := false;
    v_passed UUID[] := '{}';
    v_capacity INT;
    v_expires TIMESTAMPTZ := p_now + make_interval(secs => p_lease_seconds);
BEGIN
    SELECT l.id INTO v_lease FROM leases l
    WHERE l.user_id = p_user AND l.project_id = p_project AND l.state = 'active' AND l.expires_at > p_now
    ORDER BY l.created_at LIMIT 1;

    IF v_lease IS NOT NULL THEN
        UPDATE leases SET expires_at = v_expires WHERE id = v_lease;
        v_resumed := true;
    ELSE
        IF p_want_gold THEN
            SELECT i.id INTO v_item FROM items i
            WHERE i.project_id = p_project AND i.is_gold
                AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = p_user)
            ORDER BY random() LIMIT 1
            FOR UPDATE OF i SKIP LOCKED;
            v_gold := v_item IS NOT NULL;
        END IF;

        IF v_item IS NULL THEN
            -- An item whose last free slot was leased after this call's snapshot fails the re-check
            -- under its lock; it is passed over on the next attempt, so every attempt makes progress.
            FOR attempt IN 1..64 LOOP
                SELECT i.id INTO v_item FROM items i
                WHERE i.project_id = p_project AND i.is_open AND NOT i.is_gold
                    AND i.id <> ALL(v_passed)
                    AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = p_user)
                    AND i.judgment_count + (
                        SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.state = 'active' AND busy.expires_at > p_now
                    ) < p_overlap
                ORDER BY i.priority DESC, i.seq
                LIMIT 1
                FOR UPDATE OF i SKIP LOCKED;
                EXIT WHEN v_item IS NULL;

                SELECT (p_overlap - i.judgment_count - (
                    SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.state = 'active' AND busy.expires_at > p_now
                ))::int INTO v_capacity
                FROM items i WHERE i.id = v_item AND i.is_open;
                EXIT WHEN v_capacity > 0;

                v_passed := v_passed || v_item;
                v_item := NULL;
            END LOOP;
        END IF;

        IF v_item IS NULL THEN
            RETURN;
        END IF;

        INSERT INTO leases (project_id, item_id, user_id, display_order, is_gold, created_at, expires_at)
        VALUES (
            p_project, v_item, p_user,
            ARRAY(SELECT r.key FROM responses r WHERE r.item_id = v_item ORDER BY CASE WHEN p_randomize THEN random() END, r.position),
            v_gold, p_now, v_expires
        )
        RETURNING id INTO v_lease;
    END IF;

    RETURN QUERY
    SELECT l.id, l.expires_at, l.display_order, l.draft, v_resumed, i.id, i.external_id, i.context,
        (SELECT json_agg(json_build_object('key', r.key, 'content', r.content, 'model', r.model)) FROM responses r WHERE r.item_id = i.id),
        i.rendered
    FROM leases l JOIN items i ON i.id = l.item_id
    WHERE l.id = v_lease;
END
$$;

-- `next` in one round trip: checks the credential (quorum_authenticate), finds the project by slug,
-- checks that the caller may annotate it (an admin, or an annotator who is an annotator member) and
-- that it is open, then claims (quorum_claim_next).
-- outcome: unauthenticated, no_project, forbidden (is_member says whether the caller may see the
-- project at all), project_<status>, ready, none.
-- Called by app/modules/assignments/claim-next.server.ts. How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_next_for(
    p_kind TEXT, p_credential TEXT, p_hash BYTEA, p_session_ms BIGINT, p_session_max_ms BIGINT, p_slug TEXT, p_now TIMESTAMPTZ, p_gold_draw FLOAT8
) RETURNS TABLE (
    outcome TEXT, user_id UUID, email TEXT, display_name TEXT, roles TEXT[], is_member BOOLEAN, project JSON, next JSON
) LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    v_user RECORD;
    v_project_id UUID;
    v_project JSON;
    v_member BOOLEAN;
    v_annotator BOOLEAN;
    v_next JSON;
BEGIN
    SELECT * INTO v_user FROM quorum_authenticate(p_kind, p_credential, p_hash, p_now, p_session_ms, p_session_max_ms);
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unauthenticated'::text, NULL::uuid, NULL::text, NULL::text, NULL::text[], NULL::boolean, NULL::json, NULL::json;
        RETURN;
    END IF;
    IF v_user.scope = 'read' THEN
        RETURN QUERY SELECT 'read_only'::text, NULL::uuid, NULL::text, NULL::text, NULL::text[], NULL::boolean, NULL::json, NULL::json;
        RETURN;
    END IF;
    SELECT p.id INTO v_project_id FROM projects p WHERE p.slug = p_slug;
    IF v_project_id IS NULL THEN
        RETURN QUERY SELECT 'no_project'::text, v_user.user_id, v_user.email, v_user.display_name, v_user.roles, false, NULL::json, NULL::json;
        RETURN;
    END IF;
    SELECT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = v_project_id AND m.user_id = v_user.user_id),
        EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = v_project_id AND m.user_id = v_user.user_id AND m.role = 'annotator')
    INTO v_member, v_annotator;
    IF NOT ('admin' = ANY(v_user.roles) OR ('annotator' = ANY(v_user.roles) AND v_annotator)) THEN
        RETURN QUERY SELECT 'forbidden'::text, v_user.user_id, v_user.email, v_user.display_name, v_user.roles, v_member, NULL::json, NULL::json;
        RETURN;
    END IF;
    v_project := quorum_assignment_project(v_project_id);
    IF v_project->>'status' <> 'active' THEN
        RETURN QUERY SELECT 'project_' || (v_project->>'status'), v_user.user_id, v_user.email, v_user.display_name, v_user.roles, v_member, v_project, NULL::json;
        RETURN;
    END IF;
    SELECT row_to_json(c) INTO v_next FROM quorum_claim_next(
        v_project_id, v_user.user_id, (v_project->>'overlap')::int, (v_project->>'lease_seconds')::int, p_now,
        p_gold_draw < (v_project->>'gold_rate')::float8, (v_project->>'randomize_order')::boolean) c;
    RETURN QUERY SELECT CASE WHEN v_next IS NULL THEN 'none' ELSE 'ready' END, v_user.user_id, v_user.email, v_user.display_name, v_user.roles,
        v_member, v_project, v_next;
END
$$;

-- The annotator's loop in one round trip: checks the credential (quorum_authenticate), stores the
-- judgment (quorum_submit_judgment) and, when asked, claims the next item (quorum_claim_next), all
-- in the one transaction of this statement. The exactness of the claim and of the submission is
-- theirs: every statement of a VOLATILE function takes a fresh snapshot, so their re-checks under
-- the row locks see what committed meanwhile. The lease stays locked from the first statement, so a
-- concurrent replay of the same submission waits and then finds it stored.
--
-- The server validates the judgment against the project's rules before calling, and passes the
-- fingerprint of the rules it used (`quorum_assignment_project(...)->>'rules'`). When that is not
-- the project's, or the ranking does not name exactly the lease's responses, nothing is stored:
-- outcome 'rules' returns the project and the lease's display order so the server can validate again.
--
-- A replay (this idempotency key was stored before) claims nothing: `next` is the caller's open lease
-- on the project, if any, which is the lease the first submission handed out when that is still theirs.
--
-- outcome: unauthenticated, not_found, rules, stored, replay, or the refusals of quorum_submit_judgment.
-- next_state (only when p_next): ready, none, forbidden, project_<status>.
-- Called by app/modules/assignments/submit-and-next.server.ts. How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_submit_and_next(
    p_kind TEXT, p_credential TEXT, p_hash BYTEA, p_session_ms BIGINT, p_session_max_ms BIGINT,
    p_lease UUID, p_rules TEXT, p_idempotency_key TEXT, p_ranking JSONB, p_both_bad BOOLEAN, p_strength INT,
    p_criteria JSONB, p_flags JSONB, p_rationale TEXT, p_active_ms INT, p_now TIMESTAMPTZ, p_next BOOLEAN, p_gold_draw FLOAT8
) RETURNS TABLE (
    outcome TEXT, user_id UUID, email TEXT, display_name TEXT, roles TEXT[], project JSON, display_order TEXT[],
    judgment JSON, next_state TEXT, next JSON
) LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    v_user RECORD;
    v_lease RECORD;
    v_project JSON;
    v_stored RECORD;
    v_judgment JSON;
    v_next JSON;
    v_next_state TEXT;
    v_open UUID;
    v_allowed BOOLEAN;
BEGIN
    SELECT * INTO v_user FROM quorum_authenticate(p_kind, p_credential, p_hash, p_now, p_session_ms, p_session_max_ms);
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unauthenticated'::text, NULL::uuid, NULL::text, NULL::text, NULL::text[], NULL::json, NULL::text[], NULL::json, NULL::text, NULL::json;
        RETURN;
    END IF;
    IF v_user.scope = 'read' THEN
        RETURN QUERY SELECT 'read_only'::text, NULL::uuid, NULL::text, NULL::text, NULL::text[], NULL::json, NULL::text[], NULL::json, NULL::text, NULL::json;
        RETURN;
    END IF;

    SELECT l.id, l.project_id, l.user_id, l.display_order, p.status::text AS project_status INTO v_lease
    FROM leases l JOIN projects p ON p.id = l.project_id
    WHERE l.id = p_lease
    FOR UPDATE OF l;
    IF NOT FOUND OR v_lease.user_id <> v_user.user_id THEN
        RETURN QUERY SELECT 'not_found'::text, v_user.user_id, v_user.email, v_user.display_name, v_user.roles, NULL::json, NULL::text[], NULL::json, NULL::text, NULL::json;
        RETURN;
    END IF;
    v_project := quorum_assignment_project(v_lease.project_id);

    IF NOT EXISTS (SELECT 1 FROM judgments j WHERE j.user_id = v_user.user_id AND j.idempotency_key = p_idempotency_key) THEN
        IF v_lease.project_status NOT IN ('active', 'paused') THEN
            RETURN QUERY SELECT 'project_' || v_lease.project_status, v_user.user_id, v_user.email, v_user.display_name, v_user.roles, v_project, v_lease.display_order, NULL::json, NULL::text, NULL::json;
            RETURN;
        END IF;
        IF p_rules IS DISTINCT FROM v_project->>'rules'
            OR (SELECT array_agg(r ORDER BY r) FROM jsonb_array_elements(p_ranking) tier, jsonb_array_elements_text(tier) r)
                IS DISTINCT FROM (SELECT array_agg(d ORDER BY d) FROM unnest(v_lease.display_order) d) THEN
            RETURN QUERY SELECT 'rules'::text, v_user.user_id, v_user.email, v_user.display_name, v_user.roles, v_project, v_lease.display_order, NULL::json, NULL::text, NULL::json;
            RETURN;
        END IF;
    END IF;

    SELECT * INTO v_stored FROM quorum_submit_judgment(p_lease, v_user.user_id, p_idempotency_key, p_ranking, p_both_bad, p_strength,
        p_criteria, p_flags, p_rationale, p_active_ms, p_now);
    IF v_stored.outcome NOT IN ('stored', 'replay') THEN
        RETURN QUERY SELECT v_stored.outcome, v_user.user_id, v_user.email, v_user.display_name, v_user.roles, v_project, v_lease.display_order, NULL::json, NULL::text, NULL::json;
        RETURN;
    END IF;
    v_judgment := json_build_object('id', v_stored.id, 'item_id', v_stored.item_id, 'lease_id', v_stored.lease_id, 'revision', v_stored.revision,
        'ranking', v_stored.ranking, 'both_bad', v_stored.both_bad, 'strength', v_stored.strength,
        'created_at', v_stored.created_at, 'updated_at', v_stored.updated_at);

    IF p_next THEN
        v_allowed := 'admin' = ANY(v_user.roles) OR ('annotator' = ANY(v_user.roles) AND EXISTS (
            SELECT 1 FROM project_members m WHERE m.project_id = v_lease.project_id AND m.user_id = v_user.user_id AND m.role = 'annotator'));
        IF NOT v_allowed THEN
            v_next_state := 'forbidden';
        ELSIF v_project->>'status' <> 'active' THEN
            v_next_state := 'project_' || (v_project->>'status');
        ELSIF v_stored.outcome = 'replay' THEN
            SELECT l.id INTO v_open FROM leases l
            WHERE l.user_id = v_user.user_id AND l.project_id = v_lease.project_id AND l.state = 'active' AND l.expires_at > p_now
            ORDER BY l.created_at LIMIT 1;
            IF v_open IS NOT NULL THEN
                SELECT json_build_object('lease_id', l.id, 'expires_at', l.expires_at, 'display_order', l.display_order, 'draft', l.draft,
                    'resumed', true, 'item_id', i.id, 'external_id', i.external_id, 'context', i.context,
                    'responses', (SELECT json_agg(json_build_object('key', r.key, 'content', r.content, 'model', r.model)) FROM responses r WHERE r.item_id = i.id),
                    'rendered', i.rendered)
                INTO v_next
                FROM leases l JOIN items i ON i.id = l.item_id WHERE l.id = v_open;
            END IF;
            v_next_state := CASE WHEN v_next IS NULL THEN 'none' ELSE 'ready' END;
        ELSE
            SELECT row_to_json(c) INTO v_next FROM quorum_claim_next(
                v_lease.project_id, v_user.user_id, (v_project->>'overlap')::int, (v_project->>'lease_seconds')::int, p_now,
                p_gold_draw < (v_project->>'gold_rate')::float8, (v_project->>'randomize_order')::boolean) c;
            v_next_state := CASE WHEN v_next IS NULL THEN 'none' ELSE 'ready' END;
        END IF;
    END IF;

    RETURN QUERY SELECT v_stored.outcome, v_user.user_id, v_user.email, v_user.display_name, v_user.roles, v_project, v_lease.display_order,
        v_judgment, v_next_state, v_next;
END
$$;
