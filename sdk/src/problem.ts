// Forme des erreurs de l'API (RFC 9457, application/problem+json).

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
  instance?: string;
}
