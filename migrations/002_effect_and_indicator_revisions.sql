-- Desired effects and indicators are corrected in the app too (Löften, Indikatorer): keep the versions they replaced.
CREATE TABLE desired_effects_revisions (
    "effect_id" text,
    "pledge_id" text,
    "text" text,
    "indicator_id" text,
    "follow_up_source" text,
    "replaced_at" timestamp,
    "replaced_by" text
);

CREATE TABLE indicators_revisions (
    "indicator_id" text,
    "name_sv" text,
    "unit" text,
    "source" text,
    "direction" text,
    "focus_area" text,
    "period_type" text,
    "per_capita" boolean,
    "source_ids" text[],
    "replaced_at" timestamp,
    "replaced_by" text
);
