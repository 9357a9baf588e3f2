-- The log confusion matrix assumed for an annotator with no history (ADR 0020): right 70% of the
-- time, wrong answers equally likely. K×K flattened, row = true class. Kept in step with
-- DEFAULT_ACCURACY in app/modules/assignments/adaptive-overlap.ts.
-- How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_default_log_conf(p_classes INT) RETURNS FLOAT8[] LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg(CASE WHEN g / p_classes = g % p_classes THEN ln(0.7) ELSE ln(0.3 / (p_classes - 1)) END ORDER BY g)
    FROM generate_series(0, p_classes * p_classes - 1) g
$$;
