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
