-- Pistes ouvertes par étape : la vue du pipeline et les listes par étape les lisent sans parcourir les pistes closes.
CREATE INDEX IF NOT EXISTS crm_lead_open_stage_idx ON crm_lead (tenant_id, stage) WHERE deleted_at IS NULL AND status = 'open';
