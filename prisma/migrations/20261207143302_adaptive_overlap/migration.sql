-- CreateEnum
CREATE TYPE "OverlapMode" AS ENUM ('fixed', 'adaptive');

-- AlterTable
ALTER TABLE "items" ADD COLUMN     "ds_log_post" DOUBLE PRECISION[],
ADD COLUMN     "target_count" INTEGER;

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "ds_log_prior" DOUBLE PRECISION[],
ADD COLUMN     "overlap_confidence" DOUBLE PRECISION,
ADD COLUMN     "overlap_max" INTEGER,
ADD COLUMN     "overlap_mode" "OverlapMode" NOT NULL DEFAULT 'fixed';

-- CreateTable
CREATE TABLE "annotator_reliability" (
    "project_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "log_conf" DOUBLE PRECISION[],
    "judgments" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "annotator_reliability_pkey" PRIMARY KEY ("project_id","user_id")
);

-- AddForeignKey
ALTER TABLE "annotator_reliability" ADD CONSTRAINT "annotator_reliability_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotator_reliability" ADD CONSTRAINT "annotator_reliability_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Leases the next unit of work for an annotator: an open lease is resumed first, then a gold item
-- when the caller asked for one, then the first item with capacity left. In READ COMMITTED every
-- statement of a VOLATILE function takes a fresh snapshot, so the capacity re-check after the item
-- lock sees leases and judgments committed while the lock was awaited, exactly as separate
-- statements would. An item's capacity is its target_count (set by adaptive overlap, ADR 0020),
-- else p_overlap, the project's overlap. Called by app/modules/assignments/claim-next.server.ts.
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
                    ) < COALESCE(i.target_count, p_overlap)
                ORDER BY i.priority DESC, i.seq
                LIMIT 1
                FOR UPDATE OF i SKIP LOCKED;
                EXIT WHEN v_item IS NULL;

                SELECT (COALESCE(i.target_count, p_overlap) - i.judgment_count - (
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

-- The largest class probability of a log posterior (unnormalized): 1 / Σ_k exp(s_k − max s).
-- Used by quorum_submit_judgment and the adaptive-overlap refresh. ADR 0020.
-- How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_confidence(p_log_post FLOAT8[]) RETURNS FLOAT8 LANGUAGE sql IMMUTABLE AS $$
    SELECT 1 / sum(exp(s - top.m)) FROM unnest(p_log_post) s, (SELECT max(x) AS m FROM unnest(p_log_post) x) top
$$;

-- The log confusion matrix assumed for an annotator with no history (ADR 0020): right 70% of the
-- time, wrong answers equally likely. K×K flattened, row = true class. Kept in step with
-- DEFAULT_ACCURACY in app/modules/assignments/adaptive-overlap.ts.
-- How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_default_log_conf(p_classes INT) RETURNS FLOAT8[] LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg(CASE WHEN g / p_classes = g % p_classes THEN ln(0.7) ELSE ln(0.3 / (p_classes - 1)) END ORDER BY g)
    FROM generate_series(0, p_classes * p_classes - 1) g
$$;

-- A pairwise judgment as a Dawid–Skene class, relative to the item's stored response order (first,
-- second, tie, both bad), so the order an annotator saw does not matter. The same mapping as
-- pairwiseClass in app/modules/analytics/dawid-skene-analytics.ts. Used by quorum_submit_judgment
-- and the adaptive-overlap refresh (app/modules/assignments/refresh-adaptive-items.server.ts).
-- How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_pairwise_label(
    p_ranking JSONB, p_both_bad BOOLEAN, p_first TEXT, p_second TEXT
) RETURNS INT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_both_bad THEN 3
        WHEN jsonb_array_length(p_ranking) < 2 THEN 2
        WHEN (p_ranking -> 0) ? p_first AND NOT (p_ranking -> 0) ? p_second THEN 0
        WHEN (p_ranking -> 0) ? p_second AND NOT (p_ranking -> 0) ? p_first THEN 1
        ELSE 2
    END
$$;

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
        UPDATE items SET judgment_count = judgment_count + 1,
            is_open = judgment_count + 1 < v_lease.overlap,
            completed_at = CASE WHEN judgment_count + 1 >= v_lease.overlap THEN p_now ELSE completed_at END
        WHERE items.id = v_lease.item_id;
    END IF;

    RETURN QUERY SELECT 'stored'::text, j.id, j.item_id, j.lease_id, j.revision, j.ranking, j.both_bad, j.strength, j.created_at, j.updated_at
        FROM judgments j WHERE j.id = v_judgment;
END
$$;
