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
