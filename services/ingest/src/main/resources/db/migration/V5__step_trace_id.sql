-- The distributed trace each step was recorded in (W3C trace id, 32 hex digits; 16 for 64-bit tracers), so an
-- operator can go from a step on the timeline to the trace of the work that reported it. Null when nothing was traced.
ALTER TABLE upload_steps ADD COLUMN trace_id VARCHAR(64);
