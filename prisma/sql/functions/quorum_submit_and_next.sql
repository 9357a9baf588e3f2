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
-- outcome: unauthenticated, read_only (a read-scope token), not_found, rules, stored, replay, or the refusals of quorum_submit_judgment.
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
                    'responses', (SELECT json_agg(json_build_object('key', r.key, 'content', r.content, 'model', r.model)) FROM responses r WHERE r.item_id = i.id AND r.key = ANY(l.display_order)),
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
