-- Historique des mouvements d'un article, du plus récent au plus ancien.
CREATE INDEX IF NOT EXISTS inv_move_product_date_idx ON inv_move (tenant_id, product, date DESC) WHERE deleted_at IS NULL;
