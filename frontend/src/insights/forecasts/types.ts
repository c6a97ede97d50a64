// Forme de la réponse de POST /api/v1/ai/forecasts.
export interface ForecastResponse {
  entity: string | null;
  bucket: string;
  confidence: number;
  history: Array<{ t: string; value: number }>;
  forecast: Array<{ t: string; value: number; lower: number; upper: number }>;
  model: { name: string; params: Record<string, number | boolean> };
  backtest: { mape: number | null; origins: number; points: number };
}

export interface ForecastForm {
  entity: string;
  dateField: string;
  fn: 'count' | 'sum' | 'avg';
  field: string;
  bucket: 'day' | 'week' | 'month' | 'quarter';
  horizon: string;
  filter: string;
}
