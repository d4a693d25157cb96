/**
 * Building blocks shared by the case files: request bodies from the target metadata, release
 * ranges, and the dhis2-core files the cases cite. Still data: each returns a template.
 */
import type { ReleaseRange } from '../types.js';

export const LEGACY: ReleaseRange = { to: '2.41' };
export const TRACKER: ReleaseRange = { from: '2.36' };
export const TEI = '/api/trackedEntityInstances';
export const UID_RE = '^[A-Za-z][A-Za-z0-9]{10}$';

/** The attributes of a record: the key, the name, the type's other mandatory ones. */
export function attributes(key = '{{key}}', name = '{{name}}'): unknown {
  return { $concat: [[{ attribute: '{{uniqueAttribute}}', value: key }, { attribute: '{{nameAttribute}}', value: name }], '{{requiredAttributes}}'] };
}

/** A legacy TEI as a client sends it (no UID unless given). */
export function tei(o: { key?: string; name?: string; orgUnit?: string; uid?: string } = {}): Record<string, unknown> {
  return {
    ...(o.uid ? { trackedEntityInstance: o.uid } : {}),
    trackedEntityType: '{{trackedEntityType}}',
    orgUnit: o.orgUnit ?? '{{orgUnit}}',
    attributes: attributes(o.key, o.name),
  };
}

/** A tracker payload with one tracked entity. */
export function trackerBundle(o: { key?: string; name?: string; uid?: string } = {}): Record<string, unknown> {
  return {
    trackedEntities: [{
      ...(o.uid ? { trackedEntity: o.uid } : {}),
      trackedEntityType: '{{trackedEntityType}}',
      orgUnit: '{{orgUnit}}',
      attributes: attributes(o.key, o.name),
    }],
  };
}

const WEB = 'dhis-2/dhis-web-api/src/main/java/org/hisp/dhis/webapi';
const WEB_OLD = 'dhis-2/dhis-web/dhis-web-api/src/main/java/org/hisp/dhis/webapi';

/** dhis2-core source files, as cited by the cases (paths from the repository root). */
export const SRC = {
  dhisApiVersion: 'dhis-2/dhis-api/src/main/java/org/hisp/dhis/common/DhisApiVersion.java (2.35: V28–V35, DEFAULT V35; each release adds its own)',
  mapping: `${WEB}/mvc/CustomRequestMappingHandlerMapping.java (2.35–2.42: one mapping per DhisApiVersion; replaced by filter/ApiVersionFilter.java in 2.43, PR #20523/#20739)`,
  index: `${WEB}/controller/IndexController.java (2.37–2.42; ${WEB_OLD}/controller/IndexController.java 2.35–2.36)`,
  contextService: `${WEB}/service/DefaultContextService.java#getApiPath (≤2.41); ${WEB}/utils/HttpServletRequestPaths.java (2.42)`,
  teiSchema: 'dhis-2/dhis-services/dhis-service-schema/src/main/java/org/hisp/dhis/schema/descriptors/TrackedEntityInstanceSchemaDescriptor.java (≤2.40), TrackedEntitySchemaDescriptor.java (2.41+: same singular/plural/endpoint)',
  schemaController: `${WEB}/controller/SchemaController.java (getSchemaFromType: "Type x does not exist.")`,
  system: `${WEB}/controller/SystemController.java (2.38/2.39: /uid,/id limit Integer default 1, min(limit, 10000); produces application/csv; /ping "pong"; /info fields)`,
  advice: `${WEB}/controller/CrudControllerAdvice.java (MethodArgumentTypeMismatchException → 400, HttpMediaTypeNotSupportedException → 415, JsonParseException → 409)`,
  me: `${WEB}/controller/user/MeController.java (field filter over the user / MeDto)`,
  security: `${WEB}/security/config/DhisWebApiWebSecurityConfig.java, ${WEB}/security/Http401LoginUrlAuthenticationEntryPoint.java, FormLoginBasicAuthenticationEntryPoint.java`,
  tokenResolver: `${WEB}/security/apikey/ApiTokenResolver.java, ApiTokenErrors.java; dhis-2/dhis-api/src/main/java/org/hisp/dhis/security/apikey/ApiTokenType.java (V1 d2pat CRC32, V2 d2p from 2.40, PR #13987); PR #8557 (prefix and checksum, 2.37)`,
  tokenEntryPoint: 'dhis-2/dhis-services/dhis-service-core/src/main/java/org/hisp/dhis/security/apikey/DhisApiTokenAuthenticationEntryPoint.java, ApiTokenAuthManager.java',
  legacyController: `${WEB}/controller/event/TrackedEntityInstanceController.java (2.37–2.40: /count, /query, /{id}); deprecated/tracker/TrackedEntityInstanceController.java (2.41)`,
  legacyCriteria: `${WEB}/controller/event/webrequest/TrackedEntityInstanceCriteria.java (ou, program, trackedEntityType: String; filter, attribute: Set<String>)`,
  teiService: 'dhis-2/dhis-services/dhis-service-core/src/main/java/org/hisp/dhis/trackedentity/DefaultTrackedEntityInstanceService.java (validate, validateSearchScope, getTrackedEntityInstancesGrid)',
  springBinding: 'Spring DataBinder/ArrayToStringConverter: a String property bound from repeated values is the comma-joined text',
  trackerImport: `${WEB}/controller/tracker/imports/TrackerImportController.java (consumes application/json; job report per release); ${WEB_OLD}/controller/tracker/TrackerController.java (2.35 stub)`,
  trackerExport: `${WEB}/controller/tracker/export/TrackerTrackedEntitiesExportController.java (2.37: getFieldsFromRequestOrAll; 2.39–2.40: DEFAULT_FIELDS_PARAM); export/trackedentity/TrackedEntitiesExportController.java (2.41+)`,
  trackerOrder: `${WEB}/controller/tracker/export/RequestParamsValidator.java#validateOrderParams, export/trackedentity/TrackedEntityMapper.java ORDERABLE_FIELDS (2.41+)`,
  uniqueTracker: 'tracker preheat supplier UniqueAttributesSupplier.java + HibernateTrackedEntityAttributeValueStore#get(attribute, values): no deleted filter (2.38, 2.40, 2.42)',
  uniqueLegacy: 'dhis-2/dhis-services/dhis-service-core/src/main/java/org/hisp/dhis/trackedentity/hibernate/HibernateTrackedEntityAttributeStore.java#getTrackedEntityInstanceUidWithUniqueAttributeValue (tei.deleted is false)',
  legacyUpdate: 'dhis-2/dhis-services/dhis-service-dxf2/src/main/java/org/hisp/dhis/dxf2/events/trackedentity/AbstractTrackedEntityInstanceService.java#updateTrackedEntityInstance (canWrite on the stored TEI, then setOrganisationUnit from the payload)',
  unreadable: `${WEB}/controller/CrudControllerAdvice.java (2.37, 2.39: JsonParseException → 409, no handler for JsonMappingException or HttpMessageNotReadableException → defaultExceptionHandler 500; the 2.43 file maps HttpMessageNotReadableException to 400, from 2.40 in the emulator: boundary inferred)`,
  jackson: 'Jackson UTF8StreamJsonParser (_reportInvalidInitial/_reportInvalidOther: "Invalid UTF-8 start/middle byte")',
  options: 'Spring RequestMappingInfoHandlerMapping.HttpOptionsHandler (Allow: mapped methods + HEAD + OPTIONS, empty body); DhisWebApiWebSecurityConfig (every /api path authenticated)',
  realClients: 'spec real-clients.md (observed requests of @openfn/language-dhis2 8.2.1 and language-dhis2 2.0.11)',
  languageDhis2: 'language-dhis2 2.0.11 lib/Adaptor.js: upsertTEI (GET trackedEntityTypes/{id}?fields=*, trackedEntityAttributes/{id}), upsert (GET /api/resources filtered plural:eq:trackedEntityInstances → singular)',
} as const;
