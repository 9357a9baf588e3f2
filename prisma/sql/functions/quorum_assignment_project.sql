-- A project as the annotator's loop needs it, as one JSON value: its settings, the current
-- guideline version, and `rules`, a fingerprint of the columns a judgment is validated against.
-- The server validates a judgment against rules it has seen before and passes their fingerprint;
-- quorum_submit_and_next stores nothing when the fingerprint is no longer the project's.
-- How to change it: prisma/sql/README.md.

CREATE OR REPLACE FUNCTION quorum_assignment_project(p_project UUID)
RETURNS JSON LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', p.id, 'slug', p.slug, 'name', p.name, 'status', p.status, 'task_type', p.task_type, 'overlap', p.overlap,
        'criteria', p.criteria, 'flags', p.flags, 'use_strength', p.use_strength, 'rationale', p.rationale,
        'randomize_order', p.randomize_order, 'show_model_names', p.show_model_names, 'gold_rate', p.gold_rate,
        'lease_seconds', p.lease_seconds,
        'guideline_version', COALESCE((SELECT max(g.version) FROM guideline_versions g WHERE g.project_id = p.id), 0),
        'rules', md5(concat_ws('|', p.task_type, p.use_strength, p.rationale, p.criteria::text, p.flags::text))
    )
    FROM projects p WHERE p.id = p_project
$$;
