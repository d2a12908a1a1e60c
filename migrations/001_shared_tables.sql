-- The shared tables of dashboard/schema.py (all but the incidents and what is derived from them),
-- with the same columns in the same order. Geometries are WKB (WGS84), as in the GeoParquet files.
-- Corrections and history stay append-only in code: *_updates, meetings and *_revisions only get inserts.

CREATE TABLE municipalities (
    "kommun_kod" text,
    "kommun" text,
    "lpo" text,
    "population" integer,
    "lat" double precision,
    "lon" double precision,
    "radius_km" double precision
);

CREATE TABLE boundaries (
    "kommun_kod" text,
    "name" text,
    "kind" text,
    "geometry" bytea
);

CREATE TABLE areas (
    "area_id" text,
    "kommun_kod" text,
    "name" text,
    "kind" text,
    "geometry" bytea
);

CREATE TABLE places (
    "kommun_kod" text,
    "name" text,
    "place_type" text,
    "lat" double precision,
    "lon" double precision
);

CREATE TABLE focus_areas (
    "focus_area" text,
    "name_sv" text,
    "categories" text[]
);

CREATE TABLE pledges (
    "pledge_id" text,
    "title" text,
    "kommun_kods" text[],
    "lpo" text,
    "period_start" date,
    "period_end" date,
    "follow_up" text,
    "follow_up_kind" text,
    "follow_up_due" date,
    "source_document" text,
    "summary" text,
    "focus_areas" text[]
);

CREATE TABLE commitments (
    "commitment_id" text,
    "pledge_id" text,
    "actor" text,
    "text" text,
    "focus_areas" text[],
    "due_date" date,
    "indicator_ids" text[],
    "created_at" timestamp
);

CREATE TABLE desired_effects (
    "effect_id" text,
    "pledge_id" text,
    "text" text,
    "indicator_id" text,
    "follow_up_source" text
);

CREATE TABLE commitment_updates (
    "update_id" text,
    "commitment_id" text,
    "at" timestamp,
    "status" text,
    "progress" integer,
    "note" text,
    "author" text,
    "meeting_id" text
);

CREATE TABLE meetings (
    "meeting_id" text,
    "kind" text,
    "held_on" date,
    "kommun_kods" text[],
    "focus_areas" text[],
    "notes" text,
    "recorded_by" text,
    "recorded_at" timestamp,
    "present" text[],
    "agenda" text[],
    "period_start" date,
    "period_end" date
);

CREATE TABLE actions (
    "action_id" text,
    "meeting_id" text,
    "text" text,
    "actor" text,
    "owner" text,
    "due_date" date,
    "focus_area" text,
    "area_id" text,
    "place" text,
    "created_by" text,
    "created_at" timestamp
);

CREATE TABLE action_updates (
    "update_id" text,
    "action_id" text,
    "at" timestamp,
    "status" text,
    "progress" integer,
    "note" text,
    "author" text,
    "meeting_id" text
);

CREATE TABLE indicators (
    "indicator_id" text,
    "name_sv" text,
    "unit" text,
    "source" text,
    "direction" text,
    "focus_area" text,
    "period_type" text,
    "per_capita" boolean,
    "source_ids" text[]
);

CREATE TABLE indicator_values (
    "indicator_id" text,
    "kommun_kod" text,
    "period_start" date,
    "period_type" text,
    "value" double precision,
    "target" double precision
);

CREATE TABLE population (
    "kommun_kod" text,
    "year" integer,
    "population" integer
);

CREATE TABLE pledges_revisions (
    "pledge_id" text,
    "title" text,
    "kommun_kods" text[],
    "lpo" text,
    "period_start" date,
    "period_end" date,
    "follow_up" text,
    "follow_up_kind" text,
    "follow_up_due" date,
    "source_document" text,
    "summary" text,
    "focus_areas" text[],
    "replaced_at" timestamp,
    "replaced_by" text
);

CREATE TABLE commitments_revisions (
    "commitment_id" text,
    "pledge_id" text,
    "actor" text,
    "text" text,
    "focus_areas" text[],
    "due_date" date,
    "indicator_ids" text[],
    "created_at" timestamp,
    "replaced_at" timestamp,
    "replaced_by" text
);

CREATE TABLE actions_revisions (
    "action_id" text,
    "meeting_id" text,
    "text" text,
    "actor" text,
    "owner" text,
    "due_date" date,
    "focus_area" text,
    "area_id" text,
    "place" text,
    "created_by" text,
    "created_at" timestamp,
    "replaced_at" timestamp,
    "replaced_by" text
);

-- One row per table: the id of the transaction that last wrote it (what the app's cache keys on).
CREATE TABLE table_versions (name text PRIMARY KEY, version bigint NOT NULL);
