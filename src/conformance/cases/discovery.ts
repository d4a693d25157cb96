import { defineCases } from '../types.js';
import { SRC } from './common.js';

const resources = (path: string) => ({ method: 'GET' as const, path });

/** What clients read before they write: the resource index and the schemas. */
export const DISCOVERY_CASES = defineCases([
  {
    id: 'discovery.resources.tracked-entity-instances',
    title: '/api/resources lists trackedEntityInstances (singular, plural, href, displayName) on every release, even 2.42',
    area: 'discovery',
    source: [SRC.index, SRC.teiSchema],
    needs: 'read-only',
    steps: [{
      name: 'resource index',
      request: resources('/api/resources'),
      expect: {
        status: 200,
        headers: { 'content-type': { startsWith: 'application/json' } },
        json: {
          'resources[plural=trackedEntityInstances].singular': { equals: 'trackedEntityInstance' },
          'resources[plural=trackedEntityInstances].displayName': { equals: 'Tracked Entity Instances' },
          'resources[plural=trackedEntityInstances].href': { endsWith: '/api/trackedEntityInstances' },
        },
      },
    }],
  },
  {
    id: 'discovery.resources.metadata',
    title: '/api/resources lists the metadata an upsert reads',
    area: 'discovery',
    source: [SRC.index],
    needs: 'read-only',
    steps: [{
      name: 'resource index',
      request: resources('/api/resources'),
      expect: {
        status: 200,
        json: {
          'resources[plural=trackedEntityTypes].singular': { equals: 'trackedEntityType' },
          'resources[plural=trackedEntityAttributes].singular': { equals: 'trackedEntityAttribute' },
          'resources[plural=organisationUnits].singular': { equals: 'organisationUnit' },
          'resources[plural=programs].singular': { equals: 'program' },
          'resources[plural=trackedEntityAttributes].displayName': { equals: 'Tracked Entity Attributes' },
        },
      },
    }],
  },
  {
    id: 'discovery.resources.versioned-href',
    title: 'a versioned /api/NN/resources links with the same prefix',
    area: 'discovery',
    source: [SRC.index, SRC.contextService],
    needs: 'read-only',
    steps: [{
      name: 'versioned resource index',
      request: resources('/api/{{apiVersion}}/resources'),
      expect: { status: 200, json: { 'resources[plural=trackedEntityTypes].href': { endsWith: '/api/{{apiVersion}}/trackedEntityTypes' } } },
    }],
  },
  {
    id: 'discovery.api-root',
    title: 'GET /api redirects to /api/resources',
    area: 'discovery',
    source: [SRC.index],
    needs: 'read-only',
    steps: [{ name: 'api root', request: resources('/api'), expect: { status: 302, headers: { location: { endsWith: '/api/resources' } } } }],
  },
  {
    id: 'discovery.schema.tracked-entity-attribute',
    title: '/api/schemas/trackedEntityAttribute describes unique, orgunitScope and valueType',
    area: 'discovery',
    source: [SRC.schemaController],
    needs: 'read-only',
    steps: [{
      name: 'schema',
      request: resources('/api/schemas/trackedEntityAttribute'),
      expect: {
        status: 200,
        json: {
          singular: { equals: 'trackedEntityAttribute' },
          plural: { equals: 'trackedEntityAttributes' },
          relativeApiEndpoint: { equals: '/trackedEntityAttributes' },
          'properties[name=unique].propertyType': { equals: 'BOOLEAN' },
          'properties[name=orgunitScope].propertyType': { equals: 'BOOLEAN' },
          'properties[name=valueType].propertyType': { equals: 'CONSTANT' },
          'properties[name=valueType].constants': { contains: 'TEXT' },
        },
      },
    }],
  },
  {
    id: 'discovery.schema.tracked-entity-type',
    title: '/api/schemas/trackedEntityType: the attribute collection and the feature type',
    area: 'discovery',
    source: [SRC.schemaController],
    needs: 'read-only',
    steps: [{
      name: 'schema',
      request: resources('/api/schemas/trackedEntityType'),
      expect: {
        status: 200,
        json: {
          plural: { equals: 'trackedEntityTypes' },
          'properties[fieldName=trackedEntityTypeAttributes].propertyType': { equals: 'COLLECTION' },
          'properties[name=featureType].propertyType': { equals: 'CONSTANT' },
        },
      },
    }],
  },
  {
    id: 'discovery.schema.organisation-unit-and-program',
    title: '/api/schemas/organisationUnit and /program: path, parent, programType',
    area: 'discovery',
    source: [SRC.schemaController],
    needs: 'read-only',
    steps: [
      {
        name: 'organisationUnit',
        request: resources('/api/schemas/organisationUnit'),
        expect: { status: 200, json: { 'properties[name=path].propertyType': { equals: 'TEXT' }, 'properties[name=parent].propertyType': { equals: 'REFERENCE' } } },
      },
      {
        name: 'program',
        request: resources('/api/schemas/program'),
        expect: { status: 200, json: { 'properties[name=programType].propertyType': { equals: 'CONSTANT' }, 'properties[fieldName=programTrackedEntityAttributes].propertyType': { equals: 'COLLECTION' } } },
      },
    ],
  },
  {
    id: 'discovery.schema.unknown',
    title: 'an unknown schema type is a 404 "Type … does not exist."',
    area: 'discovery',
    source: [SRC.schemaController],
    needs: 'read-only',
    steps: [{ name: 'unknown type', request: resources('/api/schemas/noSuchType'), expect: { status: 404, json: { message: { equals: 'Type noSuchType does not exist.' } } } }],
  },
  {
    id: 'discovery.schemas.list',
    title: '/api/schemas lists the schemas, field-filtered',
    area: 'discovery',
    source: [SRC.schemaController],
    needs: 'read-only',
    steps: [{
      name: 'schema list',
      request: { method: 'GET', path: '/api/schemas', query: [['fields', 'singular,plural']] },
      expect: { status: 200, json: { 'schemas[singular=trackedEntityType]': { keys: ['singular', 'plural'] }, 'schemas[singular=trackedEntityType].plural': { equals: 'trackedEntityTypes' } } },
    }],
  },
]);
