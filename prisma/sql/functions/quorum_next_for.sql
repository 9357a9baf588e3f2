-- `next` in one round trip: checks the credential (quorum_authenticate), finds the project by slug,
-- checks that the caller may annotate it (an admin, or an annotator who is an annotator member) and
-- that it is open, then claims (quorum_claim_next).
-- outcome: unauthenticated, read_only (a read-scope token), no_project, forbidden (is_member says whether the caller may see the
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
