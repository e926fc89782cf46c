export {
  COMMUNICATION,
  convertOws,
  isOwsText,
  OWS_ERROR,
  type OwsConversion,
  type OwsOptions,
  signalName,
  stepIdOf,
} from './convert';
export { JqError, type JqScope, jqToJsonata } from './jq';
export { findOperation, type OpenApiOperation } from './openapi';
export { flowToYaml } from './yaml';
