-- When the last redrive started: status reports that happened before it belong to an earlier run and are recorded
-- on the timeline without moving the status.
ALTER TABLE uploads ADD COLUMN redriven_at TIMESTAMP WITH TIME ZONE;
