-- 005_render.sql: library and track objects are written by the worker
-- from binary columns (src/render.c), as session objects are since
-- 003_open_sessions.sql: one definition of each object, in C. The SQL
-- renderers of 002_libraries.sql and the timestamp helper they used go.
DROP FUNCTION IF EXISTS focus_library_text(focus_libraries, bigint);
DROP FUNCTION IF EXISTS focus_track_text(focus_tracks);
DROP FUNCTION IF EXISTS focus_ts_json(timestamptz);
