// Modèles de base du cœur, hérités et étendus par les modules.
import { aiConversationEntity } from './ai.js';
import { dashboardEntity, kpiEntity } from '../analytics/entities.js';
import { qualityCheckEntity, qualityRuleEntity } from '../analytics/quality/entities.js';
import { reportEntity } from '../analytics/reports/entity.js';
import { hookRuleEntity } from './automation.js';
import { documentExtractionEntity } from './documents.js';
import { calendarEntity, holidayEntity } from './calendars.js';
import { categoryEntity, tagEntity } from './classification.js';
import { currencyEntity, exchangeRateEntity } from './finance.js';
import { uomCategoryEntity, uomEntity } from './measures.js';
import { businessUnitEntity, companyEntity, siteEntity } from './organisation.js';
import { addressEntity, countryEntity, customerEntity, employeeEntity, partnerEntity, partyEntity, supplierEntity } from './parties.js';
import { sequenceEntity } from './sequence-entity.js';
import { attachmentEntity, bookmarkEntity, importTemplateEntity, licenceEntity, menuItemEntity, shortLinkEntity, translationEntity } from './workspace.js';

export const baseEntities = [
  countryEntity, currencyEntity, exchangeRateEntity, companyEntity, businessUnitEntity, siteEntity,
  categoryEntity, tagEntity, partyEntity, customerEntity, supplierEntity, employeeEntity, partnerEntity, addressEntity,
  uomCategoryEntity, uomEntity, sequenceEntity, calendarEntity, holidayEntity, bookmarkEntity, licenceEntity, menuItemEntity, translationEntity, attachmentEntity, importTemplateEntity, shortLinkEntity,
  hookRuleEntity, aiConversationEntity, documentExtractionEntity, dashboardEntity, kpiEntity, qualityRuleEntity, qualityCheckEntity, reportEntity,
];
