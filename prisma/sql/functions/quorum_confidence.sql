-- The largest class probability of a log posterior (unnormalized): 1 / Σ_k exp(s_k − max s).
-- Used by quorum_submit_judgment and the adaptive-overlap refresh. ADR 0020.
-- How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_confidence(p_log_post FLOAT8[]) RETURNS FLOAT8 LANGUAGE sql IMMUTABLE AS $$
    SELECT 1 / sum(exp(s - top.m)) FROM unnest(p_log_post) s, (SELECT max(x) AS m FROM unnest(p_log_post) x) top
$$;
