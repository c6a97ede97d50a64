import { coreSchema } from './001-core.js';
import type { Migration } from './runner.js';

export const coreMigrations: Migration[] = [coreSchema];
