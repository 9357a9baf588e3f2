-- Stores a judgment for a lease: checks the lease and the item under their row locks, then stores
-- the judgment and its first revision, closes the lease and counts the judgment on the item.
-- In an adaptive project the item's Dawid–Skene posterior and target are updated too (ADR 0020).
-- `outcome` says what happened: stored, replay (this idempotency key was stored before), or why not.
-- Called by app/modules/assignments/submit-judgment.server.ts.
-- How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_submit_judgment(
    p_lease UUID, p_user UUID, p_idempotency_key TEXT, p_ranking JSONB, p_both_bad BOOLEAN, p_strength INT,
    p_criteria JSONB, p_flags JSONB, p_rationale TEXT, p_active_ms INT, p_now TIMESTAMPTZ
) RETURNS TABLE (
    outcome TEXT, id UUID, item_id UUID, lease_id UUID, revision INT, ranking JSONB, both_bad BOOLEAN, strength INT,
    created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ
) LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    v_lease RECORD;
    v_item RECORD;
    v_judgment UUID;
    -- adaptive overlap
    v_label INT;
    v_log_conf FLOAT8[];
    v_post FLOAT8[];
    v_count INT;
    v_open BOOLEAN;
BEGIN
    SELECT l.id, l.item_id, l.user_id, l.state::text AS state, l.expires_at, l.display_order, l.is_gold, l.project_id,
        p.status::text AS project_status, p.overlap,
        p.overlap_mode::text AS overlap_mode, p.overlap_max, p.overlap_confidence, p.ds_log_prior,
        COALESCE((SELECT max(g.version) FROM guideline_versions g WHERE g.project_id = p.id), 0) AS guideline_version
    INTO v_lease
    FROM leases l JOIN projects p ON p.id = l.project_id
    WHERE l.id = p_lease
    FOR UPDATE OF l;
    IF NOT FOUND OR v_lease.user_id <> p_user THEN
        RETURN QUERY SELECT 'not_found'::text, NULL::uuid, NULL::uuid, NULL::uuid, NULL::int, NULL::jsonb, NULL::boolean, NULL::int, NULL::timestamptz, NULL::timestamptz;
        RETURN;
    END IF;

    -- After the lease lock: a concurrent double submit waited for it and now finds the first one's result.
    SELECT j.id INTO v_judgment FROM judgments j WHERE j.user_id = p_user AND j.idempotency_key = p_idempotency_key;
    IF v_judgment IS NOT NULL THEN
        RETURN QUERY SELECT 'replay'::text, j.id, j.item_id, j.lease_id, j.revision, j.ranking, j.both_bad, j.strength, j.created_at, j.updated_at
            FROM judgments j WHERE j.id = v_judgment;
        RETURN;
    END IF;

    IF NOT EXISTS (
        SELECT 1 FROM users u WHERE u.id = p_user AND u.disabled_at IS NULL AND (
            'admin' = ANY(u.roles)
            OR ('annotator' = ANY(u.roles) AND EXISTS (
                SELECT 1 FROM project_members m WHERE m.project_id = v_lease.project_id AND m.user_id = p_user AND m.role = 'annotator'
            ))
        )
    ) THEN
        RETURN QUERY SELECT 'not_annotator'::text, NULL::uuid, NULL::uuid, NULL::uuid, NULL::int, NULL::jsonb, NULL::boolean, NULL::int, NULL::timestamptz, NULL::timestamptz;
        RETURN;
    END IF;

    IF v_lease.project_status NOT IN ('active', 'paused') THEN
        RETURN QUERY SELECT 'project_' || v_lease.project_status, NULL::uuid, NULL::uuid, NULL::uuid, NULL::int, NULL::jsonb, NULL::boolean, NULL::int, NULL::timestamptz, NULL::timestamptz;
        RETURN;
    END IF;
    IF v_lease.state <> 'active' THEN
        RETURN QUERY SELECT 'lease_' || v_lease.state, NULL::uuid, NULL::uuid, NULL::uuid, NULL::int, NULL::jsonb, NULL::boolean, NULL::int, NULL::timestamptz, NULL::timestamptz;
        RETURN;
    END IF;

    SELECT i.is_open, i.judgment_count, i.ds_log_post, (COALESCE(i.target_count, v_lease.overlap) - i.judgment_count - (
        SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.id <> p_lease AND busy.state = 'active' AND busy.expires_at > p_now
    ))::int AS capacity_left
    INTO v_item
    FROM items i WHERE i.id = v_lease.item_id
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'item_missing'::text, NULL::uuid, NULL::uuid, NULL::uuid, NULL::int, NULL::jsonb, NULL::boolean, NULL::int, NULL::timestamptz, NULL::timestamptz;
        RETURN;
    END IF;
    IF NOT v_lease.is_gold AND (NOT v_item.is_open OR (v_lease.expires_at <= p_now AND v_item.capacity_left <= 0)
        OR (v_lease.overlap_mode = 'adaptive' AND v_item.judgment_count >= v_lease.overlap_max)) THEN
        RETURN QUERY SELECT 'item_complete'::text, NULL::uuid, NULL::uuid, NULL::uuid, NULL::int, NULL::jsonb, NULL::boolean, NULL::int, NULL::timestamptz, NULL::timestamptz;
        RETURN;
    END IF;

    INSERT INTO judgments (project_id, item_id, user_id, lease_id, idempotency_key, display_order, ranking, both_bad, strength,
        criteria, flags, rationale, active_ms, guideline_version, is_gold, revision, created_at, updated_at)
    VALUES (v_lease.project_id, v_lease.item_id, p_user, p_lease, p_idempotency_key, v_lease.display_order, p_ranking, p_both_bad, p_strength,
        p_criteria, p_flags, p_rationale, p_active_ms, v_lease.guideline_version, v_lease.is_gold, 1, p_now, p_now)
    RETURNING judgments.id INTO v_judgment;

    INSERT INTO judgment_revisions (judgment_id, revision, user_id, ranking, both_bad, strength, criteria, flags, rationale,
        active_ms, guideline_version, idempotency_key, created_at)
    VALUES (v_judgment, 1, p_user, p_ranking, p_both_bad, p_strength, p_criteria, p_flags, p_rationale,
        p_active_ms, v_lease.guideline_version, p_idempotency_key, p_now);

    UPDATE leases SET state = 'submitted', closed_at = p_now, draft = NULL WHERE leases.id = p_lease;

    IF NOT v_lease.is_gold AND v_lease.overlap_mode = 'adaptive' THEN
        -- Adaptive overlap (ADR 0020): the annotator's log confusion entry for this label joins the
        -- item's log posterior; under `overlap` (the minimum) the item stays open, at `overlap_max`
        -- it closes, between them it stays open for one more judgment while the confidence is short.
        v_label := quorum_pairwise_label(p_ranking, p_both_bad,
            (SELECT r.key FROM responses r WHERE r.item_id = v_lease.item_id ORDER BY r.position LIMIT 1),
            (SELECT r.key FROM responses r WHERE r.item_id = v_lease.item_id ORDER BY r.position OFFSET 1 LIMIT 1));
        SELECT a.log_conf INTO v_log_conf FROM annotator_reliability a WHERE a.project_id = v_lease.project_id AND a.user_id = p_user;
        v_log_conf := COALESCE(v_log_conf, quorum_default_log_conf(4));
        v_post := COALESCE(v_item.ds_log_post, v_lease.ds_log_prior, array_fill(0::float8, ARRAY[4]));
        v_post := ARRAY(SELECT v_post[k] + v_log_conf[(k - 1) * 4 + v_label + 1] FROM generate_series(1, 4) k ORDER BY k);
        v_count := v_item.judgment_count + 1;
        v_open := v_count < v_lease.overlap OR (v_count < v_lease.overlap_max AND quorum_confidence(v_post) < v_lease.overlap_confidence);
        UPDATE items SET judgment_count = v_count, ds_log_post = v_post, is_open = v_open,
            target_count = CASE WHEN v_count < v_lease.overlap THEN v_lease.overlap WHEN v_open THEN v_count + 1 ELSE v_count END,
            completed_at = CASE WHEN v_open THEN NULL ELSE p_now END
        WHERE items.id = v_lease.item_id;
    ELSIF NOT v_lease.is_gold THEN
        -- Fixed overlap: the item's target, which hybrid routing may lower (ADR 0021), else the overlap.
        UPDATE items SET judgment_count = judgment_count + 1,
            is_open = judgment_count + 1 < COALESCE(target_count, v_lease.overlap),
            completed_at = CASE WHEN judgment_count + 1 >= COALESCE(target_count, v_lease.overlap) THEN p_now ELSE completed_at END
        WHERE items.id = v_lease.item_id;
    END IF;

    RETURN QUERY SELECT 'stored'::text, j.id, j.item_id, j.lease_id, j.revision, j.ranking, j.both_bad, j.strength, j.created_at, j.updated_at
        FROM judgments j WHERE j.id = v_judgment;
END
$$;
