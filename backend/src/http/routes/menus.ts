// Menu de l'utilisateur connecté (MenuManager) : ce qu'il peut voir, dans sa langue.
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../core/platform.js';
import { menuFor } from '../../services/menus/menu-tree.js';
import { requireAuth } from '../auth.js';

export function registerMenuRoutes(app: FastifyInstance, platform: Platform): void {
  app.get('/api/v1/menus', async (request) => ({ data: await menuFor(platform, requireAuth(request)) }));
}
