-- ydtb:allow ydtb/lint-index-concurrently a link table of three key columns: its build holds writes to it only briefly
CREATE INDEX "ydtb_crm_contact_notes_note_idx" ON "ydtb_crm_contact_notes" USING btree ("workspace_id","note_id");
