// Menu de l'utilisateur connecté (MenuManager) : ce qu'il peut voir, dans sa langue.
import type { FastifyInstance } from 'fastify';
import { menuFor, type MenuDeps } from '../../services/menus/menu-tree.js';
import { requireAuth } from '../auth.js';
import { json, ref } from '../openapi/path-helpers.js';
import { routeSchema } from '../openapi/route-schema.js';

/** Services que ces routes utilisent. */
export type MenuRouteDeps = MenuDeps;

const menuSchema = routeSchema({
  operationId: 'getMenu', tags: ['menus'],
  summary: 'Menu tree of the caller: core and active module entries, administrator edits (menu_item), filtered by permissions and roles, labelled in the caller\'s language',
  responses: { 200: { description: 'Menu', ...json({ type: 'object', properties: { data: { type: 'array', items: ref('MenuNode') } } }) } },
});

export function registerMenuRoutes(app: FastifyInstance, deps: MenuRouteDeps): void {
  app.get('/api/v1/menus', { schema: menuSchema }, async (request) => ({ data: await menuFor(deps, requireAuth(request)) }));
}
