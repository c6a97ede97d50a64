-- Commandes d'un client, des plus récentes aux plus anciennes.
CREATE INDEX IF NOT EXISTS sales_order_customer_date_idx ON sales_order (tenant_id, customer, order_date DESC) WHERE deleted_at IS NULL;
