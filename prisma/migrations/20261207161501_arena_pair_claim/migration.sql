-- The two responses a comparison (arena) project's lease shows, chosen by the project's pair policy
-- among the item's responses from distinct models (a response's model is coalesce(model, key)):
-- uniform takes the pair of models with the fewest battles in arena_pairs (no row = 0, ties at
-- random); active draws a pair with probability proportional to arena_pairs.weight (no row = the
-- mean of the project's weights, or 1 when it has none) by the exponential race: the smallest
-- Exp(1)/weight wins. A pair of weight 0 is drawn only when every candidate weighs 0. Then counts
-- the battle (arena_pairs, model_a < model_b). Returns the keys in the order shown: at random when
-- the project randomizes, else by position. No row when the item has fewer than two models.
-- Called by quorum_claim_next. How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_arena_pair(p_project UUID, p_item UUID, p_policy "PairPolicy", p_randomize BOOLEAN)
RETURNS TEXT[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_pair RECORD;
    v_mean FLOAT8;
BEGIN
    IF p_policy = 'active' THEN
        SELECT avg(ap.weight) INTO v_mean FROM arena_pairs ap WHERE ap.project_id = p_project;
    END IF;
    v_mean := COALESCE(v_mean, 1);

    WITH shown AS (
        SELECT r.key, r.position, COALESCE(r.model, r.key) AS model FROM responses r WHERE r.item_id = p_item
    )
    SELECT a.key AS key_a, a.position AS pos_a, b.key AS key_b, b.position AS pos_b, a.model AS model_a, b.model AS model_b
    INTO v_pair
    FROM shown a JOIN shown b ON a.model < b.model
    LEFT JOIN arena_pairs ap ON ap.project_id = p_project AND ap.model_a = a.model AND ap.model_b = b.model
    ORDER BY
        CASE WHEN p_policy = 'uniform' THEN COALESCE(ap.battles, 0) END,
        CASE WHEN p_policy = 'active' AND COALESCE(ap.weight, v_mean) > 0
            THEN -ln(1 - random()) / COALESCE(ap.weight, v_mean) END NULLS LAST,
        random()
    LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    INSERT INTO arena_pairs AS ap (project_id, model_a, model_b, battles, weight)
    VALUES (p_project, v_pair.model_a, v_pair.model_b, 1, v_mean)
    ON CONFLICT (project_id, model_a, model_b) DO UPDATE SET battles = ap.battles + 1;

    RETURN CASE WHEN (p_randomize AND random() < 0.5) OR (NOT p_randomize AND v_pair.pos_b < v_pair.pos_a)
        THEN ARRAY[v_pair.key_b, v_pair.key_a] ELSE ARRAY[v_pair.key_a, v_pair.key_b] END;
END
$$;

-- Leases the next unit of work for an annotator: an open lease is resumed first, then a gold item
-- when the caller asked for one, then the first item with capacity left. In READ COMMITTED every
-- statement of a VOLATILE function takes a fresh snapshot, so the capacity re-check after the item
-- lock sees leases and judgments committed while the lock was awaited, exactly as separate
-- statements would. An item's capacity is its target_count (set by adaptive overlap, ADR 0020),
-- else p_overlap, the project's overlap. A comparison (arena) project's lease shows two of the item's
-- responses, chosen and counted by quorum_arena_pair in this same call; an item with fewer than two
-- models is passed over. Only the responses a lease shows are returned, a resumed lease's included.
-- Called by app/modules/assignments/claim-next.server.ts.
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
    v_comparison BOOLEAN;
    v_policy "PairPolicy";
    v_order TEXT[];
    v_expires TIMESTAMPTZ := p_now + make_interval(secs => p_lease_seconds);
BEGIN
    SELECT l.id INTO v_lease FROM leases l
    WHERE l.user_id = p_user AND l.project_id = p_project AND l.state = 'active' AND l.expires_at > p_now
    ORDER BY l.created_at LIMIT 1;

    IF v_lease IS NOT NULL THEN
        UPDATE leases SET expires_at = v_expires WHERE id = v_lease;
        v_resumed := true;
    ELSE
        SELECT p.task_type = 'comparison', p.pair_policy INTO v_comparison, v_policy FROM projects p WHERE p.id = p_project;

        IF p_want_gold THEN
            SELECT i.id INTO v_item FROM items i
            WHERE i.project_id = p_project AND i.is_gold
                AND NOT EXISTS (SELECT 1 FROM leases mine WHERE mine.item_id = i.id AND mine.user_id = p_user)
            ORDER BY random() LIMIT 1
            FOR UPDATE OF i SKIP LOCKED;
            IF v_item IS NOT NULL AND v_comparison THEN
                v_order := quorum_arena_pair(p_project, v_item, v_policy, p_randomize);
                IF v_order IS NULL THEN
                    v_item := NULL;
                END IF;
            END IF;
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
                    ) < COALESCE(i.target_count, p_overlap)
                ORDER BY i.priority DESC, i.seq
                LIMIT 1
                FOR UPDATE OF i SKIP LOCKED;
                EXIT WHEN v_item IS NULL;

                SELECT (COALESCE(i.target_count, p_overlap) - i.judgment_count - (
                    SELECT count(*) FROM leases busy WHERE busy.item_id = i.id AND busy.state = 'active' AND busy.expires_at > p_now
                ))::int INTO v_capacity
                FROM items i WHERE i.id = v_item AND i.is_open;
                IF v_capacity > 0 AND v_comparison THEN
                    v_order := quorum_arena_pair(p_project, v_item, v_policy, p_randomize);
                    EXIT WHEN v_order IS NOT NULL;
                ELSE
                    EXIT WHEN v_capacity > 0;
                END IF;

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
            COALESCE(v_order, ARRAY(SELECT r.key FROM responses r WHERE r.item_id = v_item ORDER BY CASE WHEN p_randomize THEN random() END, r.position)),
            v_gold, p_now, v_expires
        )
        RETURNING id INTO v_lease;
    END IF;

    RETURN QUERY
    SELECT l.id, l.expires_at, l.display_order, l.draft, v_resumed, i.id, i.external_id, i.context,
        (SELECT json_agg(json_build_object('key', r.key, 'content', r.content, 'model', r.model)) FROM responses r WHERE r.item_id = i.id AND r.key = ANY(l.display_order)),
        i.rendered
    FROM leases l JOIN items i ON i.id = l.item_id
    WHERE l.id = v_lease;
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
