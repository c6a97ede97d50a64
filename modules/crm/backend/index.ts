// CRM : pistes et opportunités dans un pipeline d'étapes configurables, activités, champs CRM des clients.
import { defineModule } from '@opsflux/sdk';
import { install } from '../install.ts';
import { uninstall } from '../uninstall.ts';
import { crmActivity, crmLead, crmStage, customerCrmFields } from './entities.ts';
import { lastContact, stageChange, stageRules } from './hooks.ts';
import { convertLead, convertLeadTool, pipeline, pipelineTool } from './routes.ts';

export default defineModule({
  entities: [crmStage, crmLead, crmActivity],
  extensions: [customerCrmFields],
  settings: [{
    key: 'crm.defaultSource', scope: 'tenant', schema: { enum: ['website', 'referral', 'event', 'campaign', 'other'] }, default: 'website',
    label: { en: 'Source of new leads by default', fr: 'Origine par défaut des nouvelles pistes' },
  }],
  hooks: [stageRules, stageChange, lastContact],
  routes: [pipeline, convertLead],
  aiTools: [pipelineTool, convertLeadTool],
  install,
  uninstall,
});
