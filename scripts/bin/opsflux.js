#!/usr/bin/env node
// Lanceur de la CLI : charge les sources TypeScript via tsx (aucune étape de build).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
