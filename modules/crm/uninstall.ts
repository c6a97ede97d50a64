// Désinstallation du CRM dans un tenant : les données sont gardées ou effacées par la plateforme selon la demande ;
// sans données gardées, les champs CRM des clients sont aussi remis à vide par elle. Rien d'autre à défaire.
import type { ModuleContext } from '@opsflux/sdk';

export function uninstall(ctx: ModuleContext, options: { keepData: boolean }): void {
  ctx.log.info('crm uninstalled', { tenant: ctx.tenantId, keepData: options.keepData });
}
