-- History imports (disputed import, POST /v1/providers/{name}/imports): each pages through a
-- provider's list APIs and writes what it reads as provider events. The cursor is stored after
-- each page, so that an import killed mid-way resumes after the last page it wrote. One import
-- of a provider runs at a time, which the partial unique index decides. Portable like 00001.

-- +goose Up
CREATE TABLE provider_imports (
    id          TEXT PRIMARY KEY,
    provider    TEXT NOT NULL,
    since       BIGINT NOT NULL,            -- unix ms; 0 for the provider's whole history
    state       TEXT NOT NULL,              -- running | done | failed
    cursor      TEXT NOT NULL DEFAULT '',   -- the importer's, opaque; '' before the first page
    read        BIGINT NOT NULL DEFAULT 0,  -- objects read
    appended    BIGINT NOT NULL DEFAULT 0,  -- events that were new
    error       TEXT NOT NULL DEFAULT '',
    started_by  TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    finished_at BIGINT NOT NULL DEFAULT 0   -- 0 while running
);
CREATE UNIQUE INDEX provider_imports_running ON provider_imports (provider) WHERE state = 'running';
CREATE INDEX provider_imports_provider ON provider_imports (provider, started_at, id);

-- +goose Down
DROP TABLE provider_imports;
