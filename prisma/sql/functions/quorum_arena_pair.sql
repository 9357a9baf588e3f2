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
