-- Undoes 0002_note_link_index.sql: the schema goes back to what it was before it.
-- Data is not restored: rows of tables and columns this file drops are lost, and tables or
-- columns that 0002_note_link_index.sql dropped come back empty.
DROP INDEX "ydtb_crm_contact_notes_note_idx";
