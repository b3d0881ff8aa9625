-- 004: a styrdokument or rutin may carry an uploaded file (issue 9: the document registry).
ALTER TABLE Document ADD file_name STRING;
ALTER TABLE Document ADD file_checksum STRING;
ALTER TABLE Document ADD file_media_type STRING;
ALTER TABLE Document ADD file_size INT64;
