-- Where and why the stuck-upload check marked an upload: the stage it waits on and the last step it recorded
-- ("no progress for 30 min at crm-sync; last step image-processing/thumbnail SUCCEEDED at ..."). Cleared with
-- stuck_since when a step moves the upload on.
ALTER TABLE uploads ADD COLUMN stuck_reason text;
